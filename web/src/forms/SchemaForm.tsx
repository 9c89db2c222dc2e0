/**
 * A form generated from a module's config JSON Schema. Errors arrive as JSON
 * pointers relative to the config object and are shown on the field at fault;
 * those no field owns are listed at the top so none is ever hidden.
 */
import { useMemo } from 'react';
import { FormContext, type FormContextValue } from './form-context.ts';
import type { FormError } from './form-error.ts';
import { childPointer, isRecord, type JsonSchema } from './json-schema.ts';
import { ObjectProperties } from './SchemaField.tsx';

export type { FormError };

export interface SchemaFormProps {
  readonly schema: JsonSchema;
  readonly value: Record<string, unknown>;
  readonly onChange: (value: Record<string, unknown>) => void;
  readonly errors?: readonly FormError[];
  readonly idPrefix?: string;
  readonly readOnly?: boolean;
}

/** Pointers the form renders a control for (used to list the leftover errors at the top). */
export function renderedPointers(schema: JsonSchema, value: unknown, pointer = ''): Set<string> {
  const found = new Set<string>();
  const visit = (s: JsonSchema, v: unknown, p: string) => {
    found.add(p);
    if (s.properties) {
      const object = isRecord(v) ? v : {};
      for (const [key, child] of Object.entries(s.properties)) {
        visit(child, object[key], childPointer(p, key));
      }
    }
    const items = s.items;
    if (Array.isArray(v) && items) {
      for (const [index, item] of v.entries()) visit(items, item, `${p}/${index}`);
    }
  };
  visit(schema, value, pointer);
  return found;
}

export function SchemaForm({
  schema,
  value,
  onChange,
  errors = [],
  idPrefix = 'config',
  readOnly = false,
}: SchemaFormProps) {
  const context = useMemo<FormContextValue>(() => {
    const byPointer = new Map<string, string[]>();
    for (const error of errors)
      byPointer.set(error.pointer, [...(byPointer.get(error.pointer) ?? []), error.message]);
    return { errorsAt: (pointer) => byPointer.get(pointer) ?? [], idPrefix, readOnly };
  }, [errors, idPrefix, readOnly]);
  const rendered = renderedPointers(schema, value);
  const unplaced = errors.filter((error) => error.pointer === '' || !rendered.has(error.pointer));
  return (
    <FormContext.Provider value={context}>
      <div className="schema-form">
        {unplaced.length > 0 && (
          <ul className="field-errors" aria-label="Configuration errors">
            {unplaced.map((error) => (
              <li key={`${error.pointer}:${error.message}`}>
                {error.pointer && <code>{error.pointer}</code>} {error.message}
              </li>
            ))}
          </ul>
        )}
        <ObjectProperties
          schema={schema}
          pointer=""
          value={value}
          onChange={(next) => onChange(isRecord(next) ? next : {})}
        />
      </div>
    </FormContext.Provider>
  );
}
