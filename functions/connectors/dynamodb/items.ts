/**
 * Rows (DuckDB's JSON text) to DynamoDB items: numbers keep their exact
 * digits (NumberValue), NULLs are left out (a sparse item, DynamoDB's way),
 * key attributes get the type the table declares.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { ConfigError, DataError } from '../../../shared/errors.ts';
import type { TableKey } from './client.ts';

export type Item = Record<string, NativeAttributeValue>;

/** JSON.parse with each number's source text kept (Node 22's reviver context). */
function parseRow(line: string): Record<string, unknown> {
  return JSON.parse(line, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? NumberValue.from(context.source) : value,
  ) as Record<string, unknown>;
}

function keyValue(key: TableKey, value: unknown, where: string): NativeAttributeValue {
  if (value === null || value === undefined || value === '') {
    throw new DataError(`${where}: key attribute ${key.name} is empty; every item needs its table key`);
  }
  if (key.type === 'S') return value instanceof NumberValue ? value.toString() : String(value);
  if (key.type === 'N') {
    if (value instanceof NumberValue) return value;
    if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value))
      return NumberValue.from(value);
    throw new DataError(
      `${where}: key attribute ${key.name} must be a number for the table, got ${JSON.stringify(value)}`,
    );
  }
  throw new ConfigError(`key attribute ${key.name} is of type ${key.type}; only S and N keys are supported`);
}

/** `where` names the row, e.g. `chunk 3, row 17`. */
export function toItem(line: string, keys: readonly TableKey[], where: string): Item {
  const row = parseRow(line);
  const item: Item = {};
  for (const [name, value] of Object.entries(row)) {
    if (value !== null) item[name] = value as NativeAttributeValue;
  }
  for (const key of keys) item[key.name] = keyValue(key, row[key.name], where);
  return item;
}

/** The item's key as one string, to keep two writes of one key out of the same batch. */
export function keyOf(item: Item, keys: readonly TableKey[]): string {
  return JSON.stringify(keys.map((key) => String(item[key.name])));
}
