/**
 * Reads the error a `Catch` delivered. AWS gives `Cause` as a JSON string
 * `{"errorMessage","errorType","trace"}` for Lambda errors; other sources
 * (States.* errors, the local interpreter) give plain text or other shapes.
 */

export interface CaughtError {
  readonly name: string;
  readonly message: string;
}

function messageFromParsed(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const field of ['errorMessage', 'message', 'Cause']) {
    const candidate = record[field];
    if (typeof candidate === 'string') return candidate;
  }
  return undefined;
}

export function readCaughtError(error: { Error: string; Cause: unknown } | undefined): CaughtError {
  if (error === undefined) return { name: 'Unknown', message: 'the run failed without error details' };
  const { Error: name, Cause: cause } = error;
  if (typeof cause === 'string') {
    try {
      return { name, message: messageFromParsed(JSON.parse(cause)) ?? cause };
    } catch {
      return { name, message: cause };
    }
  }
  return { name, message: messageFromParsed(cause) ?? JSON.stringify(cause ?? null) };
}
