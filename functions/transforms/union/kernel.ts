/**
 * Union's data work. A plain union spreads rows by their chunk; a distinct
 * one by the whole row, so equal rows from any input meet in one bucket.
 */
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { BarrierKernel, ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { UnionConfig } from './module.ts';

const ORDER = ['_etl_chunk', '_etl_row'];

function dataColumns(columns: readonly ColumnInfo[]): string[] {
  return columns.filter((column) => !ORDER.includes(column.name)).map((column) => column.name);
}

export const unionKernel: BarrierKernel<UnionConfig> = {
  partitionKey: (config, _input, columns) =>
    config.distinct ? columns.map((column) => sqlIdent(column.name)).join(', ') : '_etl_chunk',
  async reduce({ config, inputColumns }) {
    const parts = inputColumns.map(
      (_, input) => `SELECT *, ${input} AS _etl_input FROM ${sqlIdent(`input_${input}`)}`,
    );
    const all = parts.join('\nUNION ALL BY NAME\n');
    const names = [...new Set(inputColumns.flatMap(dataColumns))].map(sqlIdent);
    const kept = config.distinct
      ? `SELECT * FROM (${all}) QUALIFY row_number() OVER (PARTITION BY ${names.join(', ')} ORDER BY _etl_input, _etl_chunk, _etl_row) = 1`
      : `SELECT * FROM (${all})`;
    return `SELECT * EXCLUDE (_etl_input) FROM (${kept}) ORDER BY _etl_input, _etl_chunk, _etl_row`;
  },
};
