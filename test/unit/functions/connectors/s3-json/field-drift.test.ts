/** A JSON chunk's values against the types planned from the file's first chunk, read by DuckDB. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFieldDrift,
  type FieldKind,
  fieldKinds,
  holdsExactly,
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
  { id: 2, mpg: 2.0, ok: false, score: 2.5, name: 7 },
  { id: 3, mpg: 31.5, ok: null, score: null, name: { nested: true } },
  { id: 4, mpg: 27.25, ok: 'yes', score: 3, name: null, extra: 1 },
];

let dir: string;
let kinds: FieldKind[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'field-drift-'));
  const path = join(dir, 'chunk.ndjson');
  await writeFile(path, `${RECORDS.map((record) => JSON.stringify(record)).join('\n')}\n`);
  kinds = await withDuckDb({ workDir: dir }, (connection) => fieldKinds(connection, path, 'ndjson'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fieldKinds', () => {
  it('finds each kind of value per field, the first fraction and where it is', () => {
    const mpg = kinds.filter((kind) => kind.field === 'mpg');
    expect(mpg).toStrictEqual([
      { field: 'mpg', kind: 'UBIGINT', fractional: false, firstRecord: 1, example: '18' },
      // 2.0 is a DOUBLE too, but a whole one: the first fraction is reported.
      { field: 'mpg', kind: 'DOUBLE', fractional: true, firstRecord: 3, example: '31.5' },
    ]);
    expect(kinds.find((kind) => kind.field === 'ok' && kind.kind === 'VARCHAR')).toMatchObject({
      firstRecord: 4,
      example: '"yes"',
    });
  });
});

describe('holdsExactly', () => {
  it('lets whole numbers into integers, any number into DOUBLE, only booleans into BOOLEAN, anything into text', () => {
    expect(holdsExactly('BIGINT', { kind: 'DOUBLE', fractional: false })).toBe(true);
    expect(holdsExactly('BIGINT', { kind: 'DOUBLE', fractional: true })).toBe(false);
    expect(holdsExactly('INTEGER', { kind: 'BOOLEAN', fractional: false })).toBe(false);
    expect(holdsExactly('DECIMAL(10,2)', { kind: 'DOUBLE', fractional: true })).toBe(true);
    expect(holdsExactly('BOOLEAN', { kind: 'UBIGINT', fractional: false })).toBe(false);
    expect(holdsExactly('VARCHAR', { kind: 'OBJECT', fractional: false })).toBe(true);
    // DuckDB refuses what a date cannot parse, naming the line: no silent change to guard against.
    expect(holdsExactly('DATE', { kind: 'VARCHAR', fractional: false })).toBe(true);
  });
});

describe('describeFieldDrift', () => {
  const line = (n: number) => `line ${n + 100}`;

  it('names new fields and the fields whose values the planned type would change, with the first line', () => {
    expect(describeFieldDrift(kinds, PLANNED, new Set(), line)).toBe(
      "new field(s) extra not in the schema planned from each file's first chunk; " +
        'changed type(s) mpg BIGINT -> DOUBLE (line 103: 31.5), ok BOOLEAN -> VARCHAR (line 104: "yes"): ' +
        'the schema was planned from the file\'s first chunk; declare the type in "columns" to read every chunk with it',
    );
  });

  it('takes a declared type as the user meant it, and finds nothing in a chunk like the plan', () => {
    const declared = describeFieldDrift(
      kinds,
      [...PLANNED, { name: 'extra', type: 'BIGINT' }],
      new Set(['mpg', 'ok']),
      line,
    );
    expect(declared).toBeUndefined();
    const planLike = kinds.filter((kind) => kind.firstRecord === 1);
    expect(describeFieldDrift(planLike, PLANNED, new Set(), line)).toBeUndefined();
  });
});
