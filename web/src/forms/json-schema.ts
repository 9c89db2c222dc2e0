/**
 * The subset of JSON Schema the module registry emits (zod's toJSONSchema), and
 * how each schema maps to a form control. Anything else is edited as raw JSON.
 */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

export type FieldKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'string-list'
  | 'object'
  | 'map'
  | 'object-list'
  | 'json';

function hasType(schema: JsonSchema, type: string): boolean {
  return Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type;
}

function isStringEnum(schema: JsonSchema): boolean {
  return (
    Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => typeof v === 'string')
  );
}

/** The control that edits a value of this schema. */
export function fieldKind(schema: JsonSchema): FieldKind {
  if (schema.anyOf || schema.oneOf) return 'json';
  if (isStringEnum(schema)) return 'enum';
  if (hasType(schema, 'string')) return 'string';
  if (hasType(schema, 'integer')) return 'integer';
  if (hasType(schema, 'number')) return 'number';
  if (hasType(schema, 'boolean')) return 'boolean';
  if (hasType(schema, 'array') && schema.items) {
    const itemKind = fieldKind(schema.items);
    if (itemKind === 'string') return 'string-list';
    if (itemKind === 'object') return 'object-list';
    return 'json';
  }
  if (hasType(schema, 'object')) {
    if (schema.properties) return 'object';
    const values = schema.additionalProperties;
    if (typeof values === 'object') {
      const valueKind = fieldKind(values);
      if (valueKind === 'string' || valueKind === 'enum') return 'map';
    }
  }
  return 'json';
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops a key whose value was cleared, so defaults apply instead of an empty string. */
export function setProperty(
  object: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const next = { ...object };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
