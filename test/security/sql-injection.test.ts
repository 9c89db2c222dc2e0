/**
 * SQL injection through pipeline parameters into the filter, derive and sql
 * transforms. Values reach DuckDB as variables read with getvariable(): a
 * value shaped like SQL is compared as data. Names are quoted identifiers:
 * a declared name with `-` works, and a hostile name from a hand-made run
 * event stays one identifier instead of running a second statement.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, setParameterVariables, withDuckDb } from '../../shared/duckdb/engine.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  startTestEnvironment,
  type TestEnvironment,
} from '../integration/harness.ts';

const INJECTION = "x'); DROP TABLE input; SELECT ('";

describe('parameters in transforms', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    const path = join(env.scratch, 'labels.csv');
    await writeFile(path, `id,label\n1,plain\n2,"${INJECTION.replaceAll('"', '""')}"\n3,other\n`);
    await putLocalFile(env, path, 'raw', 'labels/labels.csv');
  });

  afterAll(() => env?.close());

  it('compares a value shaped like SQL as data, in filter, derive and sql, with a dashed name', async () => {
    const pipeline = PipelineSchema.parse({
      name: 'injection',
      parameters: { 'wanted-label': { type: 'string', default: 'plain' } },
      nodes: [
        { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'labels/' } },
        {
          id: 'pick',
          type: 'transformer',
          module: 'filter',
          config: { expression: "label = getvariable('wanted-label')" },
        },
        {
          id: 'echo',
          type: 'transformer',
          module: 'derive',
          config: { columns: [{ name: 'echoed', expression: "getvariable('wanted-label')" }] },
        },
        {
          id: 'again',
          type: 'transformer',
          module: 'sql',
          config: { query: "SELECT *, getvariable('wanted-label') = label AS same FROM input" },
        },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'picked/' } },
      ],
      edges: [
        { source: 'src', target: 'pick' },
        { source: 'pick', target: 'echo' },
        { source: 'echo', target: 'again' },
        { source: 'again', target: 'out' },
      ],
    });

    const result = await runPipelineLocally(pipeline, env.services, {
      parameters: { 'wanted-label': INJECTION },
    });

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(
      await queryDataset(
        env,
        'lake',
        'picked/',
        'SELECT id::INTEGER AS id, label, echoed, same FROM dataset',
      ),
    ).toStrictEqual([{ id: 2, label: INJECTION, echoed: INJECTION, same: true }]);
  });
});

describe('setParameterVariables', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'etl-sqli-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('keeps a hostile parameter name one identifier: no second statement runs', async () => {
    const name = 'x = 1; CREATE TABLE pwned AS SELECT 42 AS a; --';

    const tables = await withDuckDb({ workDir: scratch }, async (connection) => {
      await setParameterVariables(connection, { [name]: 'value' });
      const [row] = await queryRows(connection, `SELECT getvariable('${name.replaceAll("'", "''")}') AS v`);
      expect(row?.v).toBe('value');
      return queryRows(
        connection,
        "SELECT table_name FROM information_schema.tables WHERE table_name = 'pwned'",
      );
    });

    expect(tables).toStrictEqual([]);
  });
});
