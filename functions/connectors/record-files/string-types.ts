/**
 * Types for columns that arrive as text (XML has no types): each VARCHAR
 * column takes the first of BIGINT, DOUBLE, DATE, TIMESTAMP, BOOLEAN that
 * every value converts to, as a CSV sniffer would, except that numbers with
 * a leading zero (zip codes, account numbers) stay text and only whole
 * numbers make an integer.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';

const CANDIDATES = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'BOOLEAN'] as const;
const NUMERIC = new Set<string>(['BIGINT', 'DOUBLE']);
const LEADING_ZERO = `'^[-+]?0[0-9]'`;
/** TRY_CAST('1.8' AS BIGINT) rounds to 2: an integer column must hold integers only. */
const INTEGER = `'^[-+]?[0-9]+$'`;

async function inferType(connection: DuckDBConnection, relation: string, column: string): Promise<string> {
  const value = sqlIdent(column);
  const checks = CANDIDATES.map(
    (type) =>
      `count(${value}) = count(TRY_CAST(${value} AS ${type}))` +
      (NUMERIC.has(type) ? ` AND NOT bool_or(regexp_matches(${value}, ${LEADING_ZERO}))` : '') +
      (type === 'BIGINT' ? ` AND bool_and(regexp_matches(${value}, ${INTEGER}))` : '') +
      ` AS ${sqlIdent(type)}`,
  );
  const reader = await connection.runAndReadAll(
    `SELECT count(${value}) > 0 AS present, ${checks.join(', ')} FROM ${relation}`,
  );
  const [row] = reader.getRowObjectsJson();
  if (row?.present !== true) return 'VARCHAR';
  return CANDIDATES.find((type) => row[type] === true) ?? 'VARCHAR';
}

/** A SELECT over `relation` with its text columns cast to their inferred types. */
export async function typedSelect(connection: DuckDBConnection, relation: string): Promise<string> {
  const columns = await describeColumns(connection, relation);
  const projections: string[] = [];
  for (const column of columns) {
    const name = sqlIdent(column.name);
    const type = column.type === 'VARCHAR' ? await inferType(connection, relation, column.name) : column.type;
    projections.push(type === column.type ? name : `CAST(${name} AS ${type}) AS ${name}`);
  }
  return `SELECT ${projections.join(', ')} FROM ${relation}`;
}
