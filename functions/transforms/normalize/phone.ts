/** `etl_phone_e164(text, country)`: a DuckDB scalar UDF over libphonenumber-js. */
import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export const PHONE_FUNCTION = 'etl_phone_e164';

/** A valid number in E.164, or null. */
export function toE164(text: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(text, country.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

const registered = new WeakSet<DuckDBConnection>();

/** Registers the UDF once per connection; DuckDB passes NULL through without calling it. */
export function registerPhoneFunction(connection: DuckDBConnection): void {
  if (registered.has(connection)) return;
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: PHONE_FUNCTION,
      mainFunction: (_info, input, output) => {
        const texts = input.getColumnVector(0);
        const countries = input.getColumnVector(1);
        for (let row = 0; row < input.rowCount; row++) {
          output.setItem(row, toE164(String(texts.getItem(row)), String(countries.getItem(row))));
        }
        output.flush();
      },
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR],
    }),
  );
  registered.add(connection);
}
