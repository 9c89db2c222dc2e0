/**
 * Example `custom` transform: title-cases a text column (`options.column`),
 * e.g. "BARKSDALE AIR FORCE BASE ARPT" -> "Barksdale Air Force Base Arpt".
 */
import { Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import type { CustomContext, CustomFunction } from '../../types.ts';

function titleCase(text: string): string {
  return text
    .toLowerCase()
    .split(' ')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join(' ');
}

export const transform: CustomFunction = (batch: Table, context: CustomContext): Table => {
  const column = String(context.options.column);
  const values = batch.getChild(column);
  if (values === null) throw new Error(`title-case: the chunk has no column ${JSON.stringify(column)}`);
  const cased = Array.from({ length: batch.numRows }, (_, row) => {
    const value: unknown = values.get(row);
    return typeof value === 'string' ? titleCase(value) : null;
  });
  const columns: Record<string, Vector> = {};
  for (const field of batch.schema.fields) {
    const vector = field.name === column ? vectorFromArray(cased, new Utf8()) : batch.getChild(field.name);
    if (vector !== null) columns[field.name] = vector;
  }
  return new Table(columns);
};
