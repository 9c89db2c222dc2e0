/** DuckDB type names the connectors reason about. */

/** Every DuckDB integer type, signed and unsigned. */
export const INTEGER_TYPES: ReadonlySet<string> = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
]);
