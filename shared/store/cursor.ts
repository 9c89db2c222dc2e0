/**
 * Opaque list cursors: a DynamoDB LastEvaluatedKey as base64url JSON. A
 * cursor is checked against the partition and key prefix of the list it
 * continues, so one made up (or taken from another organization) cannot
 * move a query elsewhere.
 */

export type StoreKey = { readonly pk: string; readonly sk: string };

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

export interface PageRequest {
  /** 1..100 */
  readonly limit: number;
  readonly cursor?: string;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  if (key === undefined) return undefined;
  return Buffer.from(JSON.stringify({ pk: key.pk, sk: key.sk }), 'utf8').toString('base64url');
}

/** The start key a cursor stands for; throws `InvalidCursorError` unless it belongs to `pk` and `skPrefix`. */
export function decodeCursor(cursor: string | undefined, pk: string, skPrefix: string): StoreKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API returned');
  }
  const candidate = key as Partial<StoreKey> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    candidate.pk !== pk ||
    typeof candidate.sk !== 'string' ||
    !candidate.sk.startsWith(skPrefix)
  ) {
    throw new InvalidCursorError('the cursor is not one this API returned for this list');
  }
  return { pk: candidate.pk, sk: candidate.sk };
}
