/** Lookup's data work: a LEFT JOIN of the chunk to the reference (first row per key), in input order. */

import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import type { ColumnInfo, TransformKernel } from '../../../shared/modules/kernels.ts';
import { freshColumnName, resolveColumn, sameColumnName } from '../columns.ts';
import type { LookupConfig } from './module.ts';
import { createReferenceFetcher, type ReferenceFetcher } from './reference.ts';

const REFERENCE = 'lookup_reference';
const REFERENCE_ROW = '_etl_reference_row';

function readerOf(config: LookupConfig, path: string): string {
  const parquet =
    config.format === 'parquet' || (config.format === 'auto' && config.key.endsWith('.parquet'));
  if (parquet) return `read_parquet(${sqlString(path)})`;
  const types = Object.entries(config.types ?? {}).map(
    ([column, type]) => `${sqlString(column)}: ${sqlString(type)}`,
  );
  return `read_csv(${sqlString(path)}${types.length > 0 ? `, types = {${types.join(', ')}}` : ''})`;
}

function addedColumns(
  config: LookupConfig,
  reference: readonly ColumnInfo[],
  keys: readonly ColumnInfo[],
): ColumnInfo[] {
  return (
    config.columns?.map((name, index) =>
      resolveColumn(reference, name, { module: 'lookup', field: `columns[${index}] (of the reference)` }),
    ) ?? reference.filter((column) => !keys.includes(column))
  );
}

export function createLookupKernel(fetchReference: ReferenceFetcher): TransformKernel<LookupConfig> {
  return async ({ config, connection, inputColumns }) => {
    const path = await fetchReference(config.bucket, config.key);
    // A table, not a view: the file is parsed once per chunk, not once per reference to it. Rows
    // are numbered in file order, so "the first row of a key" is the same row in every chunk.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${REFERENCE} AS ` +
        `SELECT *, row_number() OVER () AS ${REFERENCE_ROW} FROM ${readerOf(config, path)}`,
    );
    const reference = (await describeColumns(connection, REFERENCE)).filter(
      (column) => column.name !== REFERENCE_ROW,
    );
    const pairs = config.on.map((pair, index) => ({
      input: resolveColumn(inputColumns, pair.column, { module: 'lookup', field: `on[${index}].column` }),
      reference: resolveColumn(reference, pair.reference, {
        module: 'lookup',
        field: `on[${index}].reference`,
      }),
    }));
    const added = addedColumns(
      config,
      reference,
      pairs.map((pair) => pair.reference),
    );
    const select = added.map((column) => {
      const name = `${config.prefix}${column.name}`;
      if (inputColumns.some((input) => sameColumnName(input.name, name))) {
        throw new ConfigError(
          `lookup: reference column ${JSON.stringify(name)} is already an input column; set a prefix`,
        );
      }
      return `r.${sqlIdent(column.name)} AS ${sqlIdent(name)}`;
    });
    const row = sqlIdent(freshColumnName(inputColumns, '_etl_lookup_row'));
    const keys = pairs.map((pair) => sqlIdent(pair.reference.name)).join(', ');
    // Keys compare as text, so an INTEGER code matches its VARCHAR twin in a CSV.
    const on = pairs
      .map(
        (pair) =>
          `CAST(i.${sqlIdent(pair.input.name)} AS VARCHAR) = CAST(r.${sqlIdent(pair.reference.name)} AS VARCHAR)`,
      )
      .join(' AND ');
    return [
      `SELECT i.* EXCLUDE (${row})${select.length > 0 ? `, ${select.join(', ')}` : ''}`,
      `FROM (SELECT *, row_number() OVER () AS ${row} FROM input) AS i`,
      `LEFT JOIN (SELECT * FROM ${REFERENCE}`,
      `  QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY ${REFERENCE_ROW}) = 1) AS r ON ${on}`,
      `ORDER BY i.${row}`,
    ].join('\n');
  };
}

export const lookupKernel = createLookupKernel(createReferenceFetcher(() => handlerDeps().s3));
