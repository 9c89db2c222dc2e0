/** Decodes the API's Arrow IPC stream into columns with their Arrow types and rows of display strings. */
import { tableFromIPC } from 'apache-arrow';

export interface PreviewColumn {
  readonly name: string;
  readonly type: string;
}

export interface PreviewTable {
  readonly columns: readonly PreviewColumn[];
  readonly rows: readonly (readonly string[])[];
}

/** Text for a cell: dates as ISO, big integers exactly, nulls distinct from empty strings. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'bigint' ? inner.toString() : inner,
    );
  }
  return String(value);
}

export function decodePreview(bytes: Uint8Array): PreviewTable {
  const table = tableFromIPC(bytes);
  const fields = table.schema.fields;
  const columns = fields.map((field) => ({ name: field.name, type: String(field.type) }));
  const vectors = fields.map((_field, index) => table.getChildAt(index));
  const rows: string[][] = [];
  for (let row = 0; row < table.numRows; row += 1) {
    rows.push(vectors.map((vector) => displayValue(vector?.get(row))));
  }
  return { columns, rows };
}
