/** Picks the control for one schema, and renders nested objects and lists of objects recursively. */

import { FieldHelp, FieldLegend, type FieldMeta } from './FieldFrame.tsx';
import type { FieldProps } from './field-props.ts';
import { fieldId, useFormContext } from './form-context.ts';
import { childPointer, fieldKind, isRecord, type JsonSchema, setProperty } from './json-schema.ts';
import { JsonField, MapField, StringListField } from './ListFields.tsx';
import { BooleanField, EnumField, NumberField, StringField } from './ScalarFields.tsx';

interface SchemaFieldProps {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly pointer: string;
  readonly required: boolean;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
}

export function SchemaField({ name, schema, pointer, required, value, onChange }: SchemaFieldProps) {
  const { errorsAt, idPrefix } = useFormContext();
  const meta: FieldMeta = {
    id: fieldId(idPrefix, pointer),
    label: schema.title ?? name,
    required,
    description: schema.description,
    errors: errorsAt(pointer),
  };
  const props: FieldProps = { meta, schema, pointer, value, onChange };
  switch (fieldKind(schema)) {
    case 'string':
      return <StringField {...props} />;
    case 'number':
    case 'integer':
      return <NumberField {...props} />;
    case 'boolean':
      return <BooleanField {...props} />;
    case 'enum':
      return <EnumField {...props} />;
    case 'string-list':
      return <StringListField {...props} />;
    case 'map':
      return <MapField {...props} />;
    case 'object':
      return <ObjectField {...props} />;
    case 'object-list':
      return <ObjectListField {...props} />;
    case 'json':
      return <JsonField {...props} />;
  }
}

/** The properties of an object schema, in schema order, each with its own control. */
export function ObjectProperties({
  schema,
  pointer,
  value,
  onChange,
}: Pick<FieldProps, 'schema' | 'pointer' | 'value' | 'onChange'>) {
  const object = isRecord(value) ? value : {};
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, propertySchema]) => (
        <SchemaField
          key={key}
          name={key}
          schema={propertySchema}
          pointer={childPointer(pointer, key)}
          required={required.has(key)}
          value={object[key]}
          onChange={(next) => onChange(setProperty(object, key, next))}
        />
      ))}
    </>
  );
}

function ObjectField({ meta, schema, pointer, value, onChange }: FieldProps) {
  return (
    <fieldset className={meta.errors.length ? 'field field-invalid' : 'field'}>
      <FieldLegend meta={meta} />
      <FieldHelp meta={meta} />
      <ObjectProperties
        schema={schema}
        pointer={pointer}
        value={value}
        onChange={(next) => onChange(isRecord(next) && Object.keys(next).length === 0 ? undefined : next)}
      />
    </fieldset>
  );
}

function ObjectListField({ meta, schema, pointer, value, onChange }: FieldProps) {
  const { readOnly } = useFormContext();
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const update = (next: unknown[]) => onChange(next.length === 0 ? undefined : next);
  return (
    <fieldset className={meta.errors.length ? 'field field-invalid' : 'field'}>
      <FieldLegend meta={meta} />
      <FieldHelp meta={meta} />
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity beyond their place.
        <fieldset key={index} className="list-item">
          <legend>{`${meta.label} ${index + 1}`}</legend>
          <ObjectProperties
            schema={itemSchema}
            pointer={childPointer(pointer, index)}
            value={item}
            onChange={(next) => update(items.map((old, i) => (i === index ? next : old)))}
          />
          {!readOnly && (
            <button type="button" onClick={() => update(items.filter((_, i) => i !== index))}>
              Remove {`${meta.label} ${index + 1}`}
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <button type="button" onClick={() => update([...items, {}])}>
          Add {meta.label}
        </button>
      )}
    </fieldset>
  );
}
