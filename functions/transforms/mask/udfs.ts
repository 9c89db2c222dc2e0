/**
 * Mask's DuckDB scalar functions. Each is registered per connection with its
 * key or options captured in a closure, so no key ever appears in SQL text
 * (which error messages may quote). DuckDB passes NULL through without calling them.
 */
import { createHmac } from 'node:crypto';
import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { type DetectOptions, redactPii } from './detect.ts';

export function hmacHex(key: string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

function registerTextFunction(
  connection: DuckDBConnection,
  name: string,
  apply: (text: string) => string,
): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name,
      mainFunction: (_info, input, output) => {
        const texts = input.getColumnVector(0);
        for (let row = 0; row < input.rowCount; row++) output.setItem(row, apply(String(texts.getItem(row))));
        output.flush();
      },
      returnType: VARCHAR,
      parameterTypes: [VARCHAR],
    }),
  );
}

/** `name(text)`: HMAC-SHA256 of the text under `key`, as 64 hex digits. */
export function registerHmacFunction(connection: DuckDBConnection, name: string, key: string): void {
  registerTextFunction(connection, name, (text) => hmacHex(key, text));
}

/** `name(text)`: the text with every detected email, card and phone number replaced by its token. */
export function registerDetectFunction(
  connection: DuckDBConnection,
  name: string,
  options: DetectOptions,
): void {
  registerTextFunction(connection, name, (text) => redactPii(text, options));
}
