/**
 * API records into a chunk: pages of records are appended to an NDJSON file
 * in the work dir as they arrive (memory stays one page), then DuckDB's
 * `read_json` infers the types over the whole file and writes the Parquet.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';

export interface WrittenRecords {
  readonly records: number;
  readonly rows: number;
}

/** A record that is not an object (a bare number or string) becomes `{ "value": ... }`. */
function asObject(record: unknown): object {
  return record !== null && typeof record === 'object' && !Array.isArray(record) ? record : { value: record };
}

export async function writeRecordPagesToParquet(
  connection: DuckDBConnection,
  pages: AsyncIterable<readonly unknown[]>,
  workDir: string,
  outputPath: string,
): Promise<WrittenRecords> {
  const ndjsonPath = join(workDir, 'records.ndjson');
  const out = createWriteStream(ndjsonPath, { encoding: 'utf8' });
  let records = 0;
  try {
    for await (const page of pages) {
      if (page.length === 0) continue;
      const text = `${page.map((record) => JSON.stringify(asObject(record))).join('\n')}\n`;
      records += page.length;
      if (!out.write(text)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (records === 0) {
    // read_json cannot infer columns from nothing: an empty chunk has one text column.
    const rows = await writeParquet(connection, 'SELECT NULL::VARCHAR AS value WHERE false', outputPath);
    return { records, rows };
  }
  const rows = await asDataErrors('the API records', () =>
    writeParquet(
      connection,
      `SELECT * FROM read_json(${sqlString(ndjsonPath)}, format = 'newline_delimited', sample_size = -1)`,
      outputPath,
    ),
  );
  return { records, rows };
}
