/**
 * Preview of the birdstrikes example on a sample: a middle node's rows are
 * what DuckDB gives for the same steps on the source's first rows, nothing is
 * committed, no run is left behind; and a finished run's staged output of a
 * node reads back with its types, also as an Arrow IPC stream.
 */
import { tableFromIPC } from 'apache-arrow';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../../shared/aws/s3-objects.ts';
import { toArrowIpc } from '../../../shared/executions/arrow-ipc.ts';
import { RunNotFoundError } from '../../../shared/executions/errors.ts';
import { readNodeOutput } from '../../../shared/executions/node-output.ts';
import { previewNode } from '../../../shared/executions/preview.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { ensureBucket } from '../../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import {
  loadExample,
  putLocalFile,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';
import { BIRDSTRIKES } from './fixtures.ts';

const ORG = 'acme';

describe('preview', () => {
  let env: TestEnvironment;
  let pipeline: Pipeline;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, BIRDSTRIKES, 'examples', 'birdstrikes/birdstrikes.csv');
    pipeline = await loadExample('birdstrikes');
    // The loader's bucket exists, so "nothing committed" is checked, not assumed.
    await ensureBucket(env.services.s3, 'curated');
  });
  afterAll(async () => {
    await env?.close();
  });

  describe('previewNode', () => {
    it("returns a node's first rows on a sample with their types, committing nothing and leaving no run", async () => {
      const before = await handlerDeps(ORG).store.listRuns(100);

      const result = await previewNode(
        { organization: ORG, pipeline, nodeId: 'with_year', limit: 20 },
        env.services,
      );

      expect(result.rows).toHaveLength(20);
      expect(result.columns).toEqual(
        expect.arrayContaining([
          { name: 'year', type: 'BIGINT' },
          { name: 'Flight Date', type: 'DATE' },
        ]),
      );
      // The same steps in DuckDB on the source: the filter keeps min_cost (default 1) and above, in file order.
      const expected = await queryDirectly(
        `SELECT CAST(year(CAST("Flight Date" AS DATE)) AS VARCHAR) AS year, "Airport Name" AS airport FROM read_csv('${BIRDSTRIKES}') WHERE "Cost Total $" >= 1 LIMIT 20`,
      );
      expect(result.rows.map((row) => ({ year: row.year, airport: row['Airport Name'] }))).toStrictEqual(
        expected,
      );
      expect(await listObjects(env.services.s3, 'curated', '')).toStrictEqual([]);
      expect(await handlerDeps(ORG).store.listRuns(100)).toStrictEqual(before);
    });

    it('previews what a loader would write as its input, and names a missing node', async () => {
      const result = await previewNode(
        { organization: ORG, pipeline, nodeId: 'curated', limit: 5 },
        env.services,
      );

      expect(result.columns.map((column) => column.name)).toStrictEqual([
        'flight_date',
        'year',
        'airport',
        'state',
        'species',
        'damage',
        'cost_usd',
        'cost_per_knot',
      ]);
      expect(result.rows).toHaveLength(5);
      await expect(
        previewNode({ organization: ORG, pipeline, nodeId: 'nope', limit: 5 }, env.services),
      ).rejects.toThrow('node nope is not in pipeline');
    });
  });

  describe('readNodeOutput and toArrowIpc', () => {
    it("reads a finished run's staged output of a node, and encodes it as an Arrow stream", async () => {
      const unfused = { ...pipeline, execution: { ...pipeline.execution, fuse: false } };
      const run = await runPipelineLocally(unfused, env.services, { organization: ORG, runId: ulid() });
      expect(run.run.status).toBe('success');

      const output = await readNodeOutput({
        organization: ORG,
        runId: run.runId,
        nodeId: 'columns',
        limit: 7,
      });
      const table = tableFromIPC(toArrowIpc(output));

      expect(output.rows).toHaveLength(7);
      expect(output.columns).toContainEqual({ name: 'year', type: 'BIGINT' });
      expect(table.numRows).toBe(7);
      expect(table.schema.fields.map((field) => field.name)).toStrictEqual(output.columns.map((c) => c.name));
      expect(table.getChild('year')?.get(0)).toBe(BigInt(String(output.rows[0]?.year)));
      expect(table.getChild('airport')?.get(3)).toBe(output.rows[3]?.airport);
      await expect(
        readNodeOutput({ organization: 'other-org', runId: run.runId, nodeId: 'columns', limit: 7 }),
      ).rejects.toThrow(RunNotFoundError);
    });
  });
});
