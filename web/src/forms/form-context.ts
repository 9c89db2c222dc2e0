/** What every field of one schema form shares: where its errors come from, id prefix, read-only mode. */
import { createContext, useContext } from 'react';

export interface FormContextValue {
  /** Messages for exactly this pointer (relative to the form's value). */
  readonly errorsAt: (pointer: string) => readonly string[];
  /** Makes element ids unique when several forms are on one page. */
  readonly idPrefix: string;
  readonly readOnly: boolean;
}

export const FormContext = createContext<FormContextValue>({
  errorsAt: () => [],
  idPrefix: 'form',
  readOnly: false,
});

export function useFormContext(): FormContextValue {
  return useContext(FormContext);
}

/** A DOM id derived from a pointer (ids can't hold `/` reliably in CSS selectors). */
export function fieldId(prefix: string, pointer: string): string {
  return `${prefix}${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}
