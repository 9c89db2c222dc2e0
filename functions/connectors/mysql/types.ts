/**
 * MySQL and MariaDB columns in DuckDB terms, from the result's column
 * definitions, so every chunk has the same schema whatever its values.
 * Values come as text (decimals, big integers and dates as strings, never
 * JS numbers that would round) or bytes, and DuckDB casts them.
 */
import type { RowValue, SourceColumn } from '../sql-common/session.ts';

const MAX_DECIMAL_PRECISION = 38;
const BINARY_CHARSET = 63;
const UNSIGNED_FLAG = 32;

/** Column type codes of the client/server protocol. */
const T = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  GEOMETRY: 255,
} as const;

const STRING_TYPES = new Set([15, 249, 250, 251, 252, 253, 254]);

export interface MysqlField {
  readonly name: string;
  readonly columnType?: number;
  readonly columnLength?: number;
  readonly decimals: number;
  readonly flags: number | string[];
  readonly characterSet?: number;
  readonly extendedFormat?: string;
}

function isUnsigned(field: MysqlField): boolean {
  return typeof field.flags === 'number'
    ? (field.flags & UNSIGNED_FLAG) !== 0
    : field.flags.includes('UNSIGNED');
}

/** DECIMAL(p,s): the reported length counts digits, a decimal point and a sign. */
function decimalType(field: MysqlField): string {
  const length = field.columnLength ?? 0;
  const precision = length - (field.decimals > 0 ? 1 : 0) - (isUnsigned(field) ? 0 : 1);
  if (precision < 1 || precision > MAX_DECIMAL_PRECISION) return 'VARCHAR';
  return `DECIMAL(${precision},${field.decimals})`;
}

function integerType(signed: string, unsigned: string, field: MysqlField): string {
  return isUnsigned(field) ? unsigned : signed;
}

type Converter = (value: unknown) => RowValue;

/** MySQL's zero dates (`0000-00-00`) mean "no date": NULL, as JDBC's convertToNull does. */
const ZERO_DATE = /^0000-00-00/;

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

const asText: Converter = (value) => textOf(value);
const asDate: Converter = (value) => {
  const text = textOf(value);
  return ZERO_DATE.test(text) ? null : text;
};
const asBytes: Converter = (value) => (Buffer.isBuffer(value) ? value : Buffer.from(textOf(value), 'utf8'));
/** BIT(n) arrives as big-endian bytes. */
const asBits: Converter = (value) =>
  Buffer.isBuffer(value)
    ? String(value.reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n))
    : textOf(value);

export interface MysqlColumn {
  readonly column: SourceColumn;
  readonly convert: Converter;
}

function column(name: string, type: string, convert: Converter = asText): MysqlColumn {
  return { column: { name, type, carrier: type === 'BLOB' ? 'BLOB' : 'VARCHAR' }, convert };
}

export function mysqlColumn(field: MysqlField): MysqlColumn {
  const { name } = field;
  const code = field.columnType ?? -1;
  switch (code) {
    case T.DECIMAL:
    case T.NEWDECIMAL:
      return column(name, decimalType(field));
    case T.TINY:
      return column(name, integerType('TINYINT', 'UTINYINT', field));
    case T.SHORT:
      return column(name, integerType('SMALLINT', 'USMALLINT', field));
    case T.LONG:
    case T.INT24:
      return column(name, integerType('INTEGER', 'UINTEGER', field));
    case T.LONGLONG:
      return column(name, integerType('BIGINT', 'UBIGINT', field));
    case T.FLOAT:
      return column(name, 'FLOAT');
    case T.DOUBLE:
      return column(name, 'DOUBLE');
    case T.YEAR:
      return column(name, 'SMALLINT');
    case T.DATE:
      return column(name, 'DATE', asDate);
    case T.DATETIME:
      return column(name, 'TIMESTAMP', asDate);
    case T.TIMESTAMP:
      // Stored as UTC; the session's time zone is UTC, so the text is UTC.
      return {
        column: {
          name,
          type: 'TIMESTAMP WITH TIME ZONE',
          carrier: 'VARCHAR',
          cast: (ref) => `CAST(${ref} || '+00' AS TIMESTAMPTZ)`,
        },
        convert: asDate,
      };
    case T.TIME:
      // A duration from -838:59:59 to 838:59:59, not only a time of day; Parquet
      // intervals can't be negative, so it stays text.
      return column(name, 'VARCHAR');
    case T.BIT:
      return column(name, 'UBIGINT', asBits);
    case T.JSON:
      return column(name, 'JSON');
    case T.GEOMETRY:
      return column(name, 'BLOB', asBytes);
  }
  if (STRING_TYPES.has(code)) {
    if (field.extendedFormat === 'json') return column(name, 'JSON');
    if (field.characterSet === BINARY_CHARSET) return column(name, 'BLOB', asBytes);
  }
  return column(name, 'VARCHAR');
}
