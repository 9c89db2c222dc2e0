/** Controls for single values: text, numbers, booleans and enumerations. */
import { controlAria, FieldFrame, FieldHelp } from './FieldFrame.tsx';
import { defaultText, type FieldProps } from './field-props.ts';
import { useFormContext } from './form-context.ts';

export function StringField({ meta, schema, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  return (
    <FieldFrame meta={meta}>
      <input
        {...controlAria(meta)}
        type="text"
        value={typeof value === 'string' ? value : ''}
        placeholder={defaultText(schema)}
        readOnly={readOnly}
        maxLength={schema.maxLength}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      />
    </FieldFrame>
  );
}

export function NumberField({ meta, schema, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const integer = schema.type === 'integer';
  return (
    <FieldFrame meta={meta}>
      <input
        {...controlAria(meta)}
        type="number"
        value={typeof value === 'number' ? String(value) : ''}
        placeholder={defaultText(schema)}
        readOnly={readOnly}
        min={schema.minimum}
        max={schema.maximum}
        step={integer ? 1 : 'any'}
        onChange={(event) => {
          const text = event.target.value;
          const number = Number(text);
          onChange(text === '' || !Number.isFinite(number) ? undefined : number);
        }}
      />
    </FieldFrame>
  );
}

export function BooleanField({ meta, schema, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const checked = typeof value === 'boolean' ? value : schema.default === true;
  return (
    <div className={meta.errors.length ? 'field field-checkbox field-invalid' : 'field field-checkbox'}>
      <input
        {...controlAria(meta)}
        type="checkbox"
        checked={checked}
        disabled={readOnly}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={meta.id}>
        {meta.label}
        {meta.required && (
          <abbr className="required" title="required">
            {' *'}
          </abbr>
        )}
      </label>
      <FieldHelp meta={meta} />
    </div>
  );
}

export function EnumField({ meta, schema, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const options = (schema.enum ?? []).map(String);
  const emptyLabel = schema.default !== undefined ? `(${defaultText(schema)})` : '(not set)';
  return (
    <FieldFrame meta={meta}>
      <select
        {...controlAria(meta)}
        value={typeof value === 'string' ? value : ''}
        disabled={readOnly}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
