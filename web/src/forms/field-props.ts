/** Props shared by every schema-driven control. */
import type { FieldMeta } from './FieldFrame.tsx';
import type { JsonSchema } from './json-schema.ts';

export interface FieldProps {
  readonly meta: FieldMeta;
  readonly schema: JsonSchema;
  readonly pointer: string;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
}

export function defaultText(schema: JsonSchema): string | undefined {
  return schema.default === undefined ? undefined : `default: ${JSON.stringify(schema.default)}`;
}
