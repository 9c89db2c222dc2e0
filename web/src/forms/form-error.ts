/** An error for a schema form, addressed by a JSON pointer relative to the form's value. */
export interface FormError {
  /** E.g. `/expression`; `""` is the value itself. */
  readonly pointer: string;
  readonly message: string;
}
