/** Controls for collections of text: a list of strings and a string-to-string map. */
import { useEffect, useState } from 'react';
import { controlAria, FieldHelp, FieldLegend, type FieldMeta } from './FieldFrame.tsx';
import type { FieldProps } from './field-props.ts';
import { fieldId, useFormContext } from './form-context.ts';
import { childPointer, isRecord, type JsonSchema } from './json-schema.ts';

export function StringListField({ meta, pointer, value, onChange }: FieldProps) {
  const { readOnly, errorsAt, idPrefix } = useFormContext();
  const items = Array.isArray(value)
    ? value.map((item) => (typeof item === 'string' ? item : String(item)))
    : [];
  const update = (next: string[]) => onChange(next.length === 0 ? undefined : next);
  return (
    <fieldset
      className={meta.errors.length ? 'field field-invalid' : 'field'}
      aria-describedby={controlAria(meta)['aria-describedby']}
    >
      <FieldLegend meta={meta} />
      {items.map((item, index) => {
        const itemPointer = childPointer(pointer, index);
        const itemErrors = errorsAt(itemPointer);
        const id = fieldId(idPrefix, itemPointer);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity beyond their place.
          <div className="list-row" key={index}>
            <label htmlFor={id} className="visually-hidden">{`${meta.label} ${index + 1}`}</label>
            <input
              id={id}
              type="text"
              value={item}
              readOnly={readOnly}
              aria-invalid={itemErrors.length > 0 || undefined}
              onChange={(event) => update(items.map((old, i) => (i === index ? event.target.value : old)))}
            />
            {!readOnly && (
              <button type="button" onClick={() => update(items.filter((_, i) => i !== index))}>
                Remove <span className="visually-hidden">{`${meta.label} ${index + 1}`}</span>
              </button>
            )}
            {itemErrors.map((message) => (
              <p key={message} className="field-errors">
                {message}
              </p>
            ))}
          </div>
        );
      })}
      {!readOnly && (
        <button type="button" onClick={() => update([...items, ''])}>
          Add {meta.label}
        </button>
      )}
      <FieldHelp meta={meta} />
    </fieldset>
  );
}

interface MapRow {
  readonly key: string;
  readonly value: string;
}

function rowsOf(value: unknown): MapRow[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([key, entry]) => ({
    key,
    value: typeof entry === 'string' ? entry : '',
  }));
}

function objectOf(rows: readonly MapRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key !== '').map((row) => [row.key, row.value]));
}

export function MapField({ meta, schema, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const valueSchema: JsonSchema =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
  // Rows live locally so a row whose key is still empty can exist while it is being typed.
  const [rows, setRows] = useState<MapRow[]>(() => rowsOf(value));
  const external = JSON.stringify(isRecord(value) ? value : {});
  useEffect(() => {
    setRows((current) =>
      JSON.stringify(objectOf(current)) === external ? current : rowsOf(JSON.parse(external)),
    );
  }, [external]);
  const update = (next: MapRow[]) => {
    setRows(next);
    const object = objectOf(next);
    onChange(Object.keys(object).length === 0 ? undefined : object);
  };
  const edit = (index: number, change: Partial<MapRow>) =>
    update(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const options = valueSchema.enum?.map(String);
  return (
    <fieldset className={meta.errors.length ? 'field field-invalid' : 'field'}>
      <FieldLegend meta={meta} />
      {rows.map((row, index) => {
        const rowLabel = `${meta.label} ${index + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a row's key is being edited, so its place is its identity.
          <div className="list-row" key={index}>
            <input
              type="text"
              aria-label={`${rowLabel} key`}
              value={row.key}
              readOnly={readOnly}
              onChange={(event) => edit(index, { key: event.target.value })}
            />
            {options ? (
              <select
                aria-label={`${rowLabel} value`}
                value={row.value}
                disabled={readOnly}
                onChange={(event) => edit(index, { value: event.target.value })}
              >
                {options.map((option) => (
                  <option key={option}>{option}</option>
                ))}
              </select>
            ) : (
              <input
                type="text"
                aria-label={`${rowLabel} value`}
                value={row.value}
                readOnly={readOnly}
                onChange={(event) => edit(index, { value: event.target.value })}
              />
            )}
            {!readOnly && (
              <button type="button" onClick={() => update(rows.filter((_, i) => i !== index))}>
                Remove <span className="visually-hidden">{rowLabel}</span>
              </button>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <button type="button" onClick={() => update([...rows, { key: '', value: options?.[0] ?? '' }])}>
          Add {meta.label}
        </button>
      )}
      <FieldHelp meta={meta} />
    </fieldset>
  );
}

/** Raw JSON for shapes the form can't express (unions, arrays of arrays); parsed when the field loses focus. */
export function JsonField({ meta, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const external = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(external);
  const [parseError, setParseError] = useState<string | undefined>();
  useEffect(() => setText(external), [external]);
  const commit = () => {
    if (text.trim() === '') {
      setParseError(undefined);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(text));
      setParseError(undefined);
    } catch (error) {
      setParseError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const shown: FieldMeta = { ...meta, errors: parseError ? [...meta.errors, parseError] : meta.errors };
  return (
    <div className={shown.errors.length ? 'field field-invalid' : 'field'}>
      <label htmlFor={meta.id}>
        {meta.label} (JSON)
        {meta.required && (
          <abbr className="required" title="required">
            {' *'}
          </abbr>
        )}
      </label>
      <textarea
        {...controlAria(shown)}
        rows={3}
        value={text}
        readOnly={readOnly}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
      />
      <FieldHelp meta={shown} />
    </div>
  );
}
