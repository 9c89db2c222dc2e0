/** DynamoDB values (document client, numbers wrapped) as JSON for DuckDB's reader. */
import { NumberValue } from '@aws-sdk/lib-dynamodb';

/** Node 22 has JSON.rawJSON; TypeScript's lib does not declare it yet. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** NumberValue keeps its digits through JSON.rawJSON; sets become arrays, binary base64. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof NumberValue) return rawJson(value.toString());
  if (value instanceof Set) return [...value].map(toJsonValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonValue(inner)]));
  }
  return value;
}
