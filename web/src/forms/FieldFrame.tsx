/** Label, help text and errors around one control, wired with for/aria-describedby. */
import type { ReactNode } from 'react';

export interface FieldMeta {
  readonly id: string;
  readonly label: string;
  readonly required: boolean;
  readonly description?: string | undefined;
  readonly errors: readonly string[];
}

/** aria attributes the control inside a frame must carry. */
export function controlAria(meta: FieldMeta) {
  const described = [meta.description ? `${meta.id}-help` : '', meta.errors.length ? `${meta.id}-errors` : '']
    .filter(Boolean)
    .join(' ');
  return {
    id: meta.id,
    'aria-required': meta.required || undefined,
    'aria-invalid': meta.errors.length > 0 || undefined,
    'aria-describedby': described || undefined,
  };
}

function RequiredMark({ required }: { readonly required: boolean }) {
  return required ? (
    <abbr className="required" title="required">
      {' *'}
    </abbr>
  ) : null;
}

export function FieldLabel({ meta }: { readonly meta: FieldMeta }) {
  return (
    <label htmlFor={meta.id}>
      {meta.label}
      <RequiredMark required={meta.required} />
    </label>
  );
}

/** The caption of a group of controls (an object's fields, a list's items). */
export function FieldLegend({ meta }: { readonly meta: FieldMeta }) {
  return (
    <legend>
      {meta.label}
      <RequiredMark required={meta.required} />
    </legend>
  );
}

export function FieldHelp({ meta }: { readonly meta: FieldMeta }) {
  return (
    <>
      {meta.description && (
        <small id={`${meta.id}-help`} className="field-help">
          {meta.description}
        </small>
      )}
      {meta.errors.length > 0 && (
        <ul id={`${meta.id}-errors`} className="field-errors">
          {meta.errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function FieldFrame({ meta, children }: { readonly meta: FieldMeta; readonly children: ReactNode }) {
  return (
    <div className={meta.errors.length ? 'field field-invalid' : 'field'}>
      <FieldLabel meta={meta} />
      {children}
      <FieldHelp meta={meta} />
    </div>
  );
}
