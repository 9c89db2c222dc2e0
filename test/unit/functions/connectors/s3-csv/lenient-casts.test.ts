/** Values DuckDB's CSV scanner would change when reading with the planned types, found by DuckDB itself. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeChangedValues,
  valuesChangedByCast,
} from '../../../../../functions/connectors/s3-csv/lenient-casts.ts';
import { S3CsvConfigSchema } from '../../../../../functions/connectors/s3-csv/module.ts';
import { withDuckDb } from '../../../../../shared/duckdb/engine.ts';
import type { ColumnInfo } from '../../../../../shared/modules/kernels.ts';

const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: 'BIGINT' },
  { name: 'zip', type: 'INTEGER' },
  { name: 'day', type: 'DATE' },
  { name: 'score', type: 'DOUBLE' },
];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenient-casts-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function changed(rows: readonly string[], columns: Record<string, string> = {}) {
  const path = join(dir, `chunk-${rows.length}-${Object.keys(columns).length}.csv`);
  await writeFile(path, `id,zip,day,score\n${rows.join('\n')}\n`);
  const config = S3CsvConfigSchema.parse({ bucket: 'raw', columns });
  return withDuckDb({ workDir: dir }, (connection) => valuesChangedByCast(connection, path, config, COLUMNS));
}

describe('valuesChangedByCast', () => {
  it('finds nothing in values the types hold as written, or in values that do not parse at all', async () => {
    // `abc` is rejected with its line by the typed read; `+5`, spaces and an empty field read as written.
    expect(await changed(['1,501,2020-01-01,1.5', '+5, 42 ,2020-12-31,2', 'abc,,,', '-7,0,,'])).toStrictEqual(
      [],
    );
  });

  it('finds the first fraction, leading zero and time of day per column, in file order', async () => {
    const rows = ['1,501,2020-01-01,1', '2.5,00501,2020-01-02 10:30:00,2', '3.75,007,2020-01-03 11:00,3'];

    expect(await changed(rows)).toStrictEqual([
      { column: 'id', type: 'BIGINT', value: '2.5' },
      { column: 'zip', type: 'INTEGER', value: '00501' },
      { column: 'day', type: 'DATE', value: '2020-01-02 10:30:00' },
    ]);
  });

  it('trusts a declared type: the user chose the cast', async () => {
    expect(
      await changed(['2.5,00501,2020-01-02 10:30:00,2'], { id: 'BIGINT', zip: 'VARCHAR' }),
    ).toStrictEqual([{ column: 'day', type: 'DATE', value: '2020-01-02 10:30:00' }]);
  });
});

describe('describeChangedValues', () => {
  it('names each column, its type and the value, and says how to keep it', () => {
    expect(describeChangedValues([{ column: 'id', type: 'BIGINT', value: '2.5' }])).toBe(
      "value(s) the column type planned from the file's first rows would change: id BIGINT holds '2.5'; " +
        'declare the type in "columns" to read every chunk with it',
    );
  });
});
