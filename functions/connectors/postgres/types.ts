/**
 * PostgreSQL columns in DuckDB terms, from the row description's type OIDs,
 * so every chunk of a read has the same schema whatever its values. Values
 * arrive as PostgreSQL's own text and are cast by DuckDB: numerics stay
 * exact, timestamps keep their zone. Types without a faithful DuckDB match
 * (ranges, geometric types, enums, unconstrained numerics) stay text.
 */
import pg from 'pg';
import type { RowValue, SourceColumn } from '../sql-common/session.ts';

/** DuckDB's widest decimal. */
const MAX_DECIMAL_PRECISION = 38;
const NUMERIC_OID = 1700;
const BYTEA_OID = 17;

const SCALAR_TYPES: Readonly<Record<number, string>> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  26: 'UINTEGER',
  700: 'FLOAT',
  701: 'DOUBLE',
  18: 'VARCHAR',
  19: 'VARCHAR',
  25: 'VARCHAR',
  1042: 'VARCHAR',
  1043: 'VARCHAR',
  1082: 'DATE',
  1083: 'TIME',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP WITH TIME ZONE',
  2950: 'UUID',
  114: 'JSON',
  3802: 'JSON',
  [BYTEA_OID]: 'BLOB',
};

/** One-dimensional arrays of these element types become DuckDB lists. */
const ARRAY_ELEMENTS: Readonly<Record<number, number>> = {
  1000: 16,
  1005: 21,
  1007: 23,
  1016: 20,
  1021: 700,
  1022: 701,
  1009: 25,
  1014: 1042,
  1015: 1043,
  1182: 1082,
  1115: 1114,
  1185: 1184,
  2951: 2950,
  1231: NUMERIC_OID,
};

/** `numeric(p,s)` from the type modifier; unconstrained or wider than DuckDB's decimal -> text. */
function numericType(modifier: number): string {
  if (modifier < 4) return 'VARCHAR';
  const precision = ((modifier - 4) >> 16) & 0xffff;
  const scale = (modifier - 4) & 0xffff;
  if (precision > MAX_DECIMAL_PRECISION || scale > precision) return 'VARCHAR';
  return `DECIMAL(${precision},${scale})`;
}

function scalarType(oid: number, modifier: number): string {
  if (oid === NUMERIC_OID) return numericType(modifier);
  return SCALAR_TYPES[oid] ?? 'VARCHAR';
}

type Converter = (raw: string) => RowValue;

const asText: Converter = (raw) => raw;
/** `\x0102ff` (hex output, the default since PostgreSQL 9.0) -> bytes. */
const asBytes: Converter = (raw) => Buffer.from(raw.startsWith('\\x') ? raw.slice(2) : raw, 'hex');
/** Parses array syntax (quotes, escapes, NULL) into a JSON array of element texts. */
const TEXT_ARRAY_OID = 1009;
// The typings list scalar type ids only; node-postgres registers the array ones too.
const getTypeParser = pg.types.getTypeParser as (oid: number, format: 'text') => (raw: string) => unknown;
const textArrayParser = getTypeParser(TEXT_ARRAY_OID, 'text');
const asJsonArray: Converter = (raw) => JSON.stringify(textArrayParser(raw));

export interface PostgresColumn {
  readonly column: SourceColumn;
  readonly convert: Converter;
}

export function postgresColumn(field: {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}): PostgresColumn {
  const element = ARRAY_ELEMENTS[field.dataTypeID];
  if (element !== undefined) {
    const elementType = scalarType(element, field.dataTypeModifier);
    const list = (ref: string) => `CAST(CAST(${ref} AS JSON) AS VARCHAR[])`;
    return {
      column: {
        name: field.name,
        type: `${elementType}[]`,
        carrier: 'VARCHAR',
        cast:
          elementType === 'VARCHAR'
            ? list
            : (ref) => `list_transform(${list(ref)}, element -> CAST(element AS ${elementType}))`,
      },
      convert: asJsonArray,
    };
  }
  const type = scalarType(field.dataTypeID, field.dataTypeModifier);
  if (field.dataTypeID === BYTEA_OID) {
    return { column: { name: field.name, type, carrier: 'BLOB' }, convert: asBytes };
  }
  return { column: { name: field.name, type, carrier: 'VARCHAR' }, convert: asText };
}

/** Type parsers that hand every value over as the server's text. */
export const RAW_TEXT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
};
