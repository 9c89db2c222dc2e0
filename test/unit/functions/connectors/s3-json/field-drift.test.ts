/** A JSON chunk's fields and values against the schema planned from the file's first chunk, read by DuckDB. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFieldDrift,
  unknownFields,
  valuesChangedByType,
} from '../../../../../functions/connectors/s3-json/field-drift.ts';
import { withDuckDb } from '../../../../../shared/duckdb/engine.ts';

const PLANNED = [
  { name: 'id', type: 'BIGINT' },
  { name: 'mpg', type: 'BIGINT' },
  { name: 'ok', type: 'BOOLEAN' },
  { name: 'score', type: 'DOUBLE' },
  { name: 'name', type: 'VARCHAR' },
];
const RECORDS = [
  { id: 1, mpg: 18, ok: true, score: 1, name: 'a' },
  // 2.0 and 1e3 are whole numbers, "12" a number in a string: read as they are.
  { id: 2, mpg: 2.0, ok: false, score: 2.5, name: 7 },
  { id: '12', mpg: 1e3, ok: null, score: null, name: { nested: true } },
  { id: 4, mpg: 31.5, ok: 'yes', score: 3, name: null, extra: 1 },
  { id: true, mpg: 27.25, ok: 5, score: 'n/a', name: [1] },
];

let dir: string;
let path: string;
const inDuckDb = <T>(work: Parameters<typeof withDuckDb<T>>[1]) => withDuckDb({ workDir: dir }, work);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'field-drift-'));
  path = join(dir, 'chunk.ndjson');
  await writeFile(path, `${RECORDS.map((record) => JSON.stringify(record)).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('valuesChangedByType', () => {
  it('finds the first value per field the planned type would change, and its record', async () => {
    const changed = await inDuckDb((connection) =>
      valuesChangedByType(connection, path, 'ndjson', PLANNED, new Set()),
    );

    expect(changed).toStrictEqual([
      { field: 'id', type: 'BIGINT', record: 5, value: 'true' },
      { field: 'mpg', type: 'BIGINT', record: 4, value: '31.5' },
      { field: 'ok', type: 'BOOLEAN', record: 4, value: 'yes' },
      { field: 'score', type: 'DOUBLE', record: 5, value: 'n/a' },
    ]);
  });

  it('trusts declared types, and reads nothing when no planned type could change a value', async () => {
    const declared = new Set(['id', 'mpg', 'ok', 'score']);
    expect(
      await inDuckDb((connection) => valuesChangedByType(connection, path, 'ndjson', PLANNED, declared)),
    ).toStrictEqual([]);
    const text = [{ name: 'name', type: 'VARCHAR' }];
    expect(
      await inDuckDb((connection) =>
        valuesChangedByType(connection, '/nonexistent.json', 'ndjson', text, new Set()),
      ),
    ).toStrictEqual([]);
  });
});

describe('unknownFields', () => {
  it('names the fields the plan never saw', async () => {
    expect(await inDuckDb((connection) => unknownFields(connection, path, 'ndjson', PLANNED))).toStrictEqual([
      'extra',
    ]);
  });
});

describe('describeFieldDrift', () => {
  const line = (n: number) => `line ${n + 100}`;

  it('names new fields and changed values with their lines, and says how to keep them', () => {
    expect(
      describeFieldDrift(['extra'], [{ field: 'mpg', type: 'BIGINT', record: 4, value: '31.5' }], line),
    ).toBe(
      "new field(s) extra not in the schema planned from each file's first chunk; " +
        "value(s) the type planned from the file's first chunk would change: mpg BIGINT holds 31.5 (line 104); " +
        'declare the type in "columns" to read every chunk with it',
    );
    expect(describeFieldDrift([], [], line)).toBeUndefined();
  });
});
