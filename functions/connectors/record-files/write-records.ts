/**
 * Records produced in JavaScript (cells of a sheet, elements of an XML
 * document) to the chunk's Parquet file: written as NDJSON, then typed by
 * DuckDB's JSON reader over every record, as the JSON source does.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import { typedSelect } from './string-types.ts';

export type SourceRecord = Readonly<Record<string, unknown>>;

/**
 * Writes the records and returns how many were read and written.
 * `typeText`: the values are all text (XML), typed by what every value converts to.
 */
export async function recordsToParquet(
  records: Iterable<SourceRecord> | AsyncIterable<SourceRecord>,
  io: { readonly connection: DuckDBConnection; readonly workDir: string; readonly outputPath: string },
  where: string,
  options: { readonly typeText?: boolean } = {},
): Promise<{ rowsIn: number; rowsOut: number }> {
  const path = join(io.workDir, 'records.ndjson');
  const out = createWriteStream(path);
  let rowsIn = 0;
  try {
    for await (const record of records) {
      if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
      rowsIn++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (rowsIn === 0) {
    // The JSON reader cannot type columns from nothing: an empty file is an empty chunk.
    return {
      rowsIn,
      rowsOut: await writeParquet(io.connection, 'SELECT NULL::VARCHAR AS _empty LIMIT 0', io.outputPath),
    };
  }
  const relation = `read_ndjson(${sqlString(path)}, sample_size = -1, union_by_name = true)`;
  const rowsOut = await asDataErrors(where, async () =>
    writeParquet(
      io.connection,
      options.typeText === true ? await typedSelect(io.connection, relation) : `SELECT * FROM ${relation}`,
      io.outputPath,
    ),
  );
  return { rowsIn, rowsOut };
}
