/** Shared set-up of the execution tests: birdstrikes split into one CSV per year, and polling a run to its end. */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { getJson } from '../../../shared/aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../../../shared/duckdb/engine.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { planKey } from '../../../shared/lambda/resumable-plan.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import type { RunRecord } from '../../../shared/store/run-types.ts';
import { putLocalFile, REPO_ROOT, type TestEnvironment } from '../harness.ts';

export const BIRDSTRIKES = join(REPO_ROOT, 'examples/birdstrikes/data/birdstrikes.csv');
export const YEARS = Array.from({ length: 13 }, (_, i) => 1990 + i);
export const CHUNK_BYTES = 150 * 1024;
/** A strike's year, from the file's `Flight Date`. */
export const YEAR = 'year(CAST("Flight Date" AS DATE))';

/**
 * Strikes counted per year (a barrier), then checked per year: a check that
 * fails does so after the shuffle, in the reduce stage. `id` keeps the
 * pipelines of different tests apart in one store.
 */
export function strikesPerYear(checkExpression: string, id: string): Pipeline {
  return PipelineSchema.parse({
    id,
    name: `Strikes per year (${id})`,
    nodes: [
      { id: 'strikes', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'by-year/' } },
      {
        id: 'years',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'year', expression: YEAR }] },
      },
      {
        id: 'per_year',
        type: 'transformer',
        module: 'aggregate',
        config: { group_by: ['year'], aggregates: [{ name: 'strikes', function: 'count' }] },
      },
      {
        id: 'checked',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'checked', expression: checkExpression }] },
      },
      { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'per-year/' } },
    ],
    edges: [
      { source: 'strikes', target: 'years' },
      { source: 'years', target: 'per_year' },
      { source: 'per_year', target: 'checked' },
      { source: 'checked', target: 'lake' },
    ],
    execution: { chunk_size_bytes: CHUNK_BYTES, max_concurrency: 4, retries: { max_attempts: 0 } },
  });
}

/**
 * Uploads birdstrikes as `<prefix><year>.csv` under `raw` (56 to 134 KB
 * each): with chunks of about 150 KB, small files are packed by twos and
 * a run has several chunks, so a test can make chosen chunks fail by year.
 */
export async function uploadBirdstrikesByYear(env: TestEnvironment, prefix: string): Promise<void> {
  const folder = await mkdtemp(join(env.scratch, 'years-'));
  await withDuckDb({ workDir: folder }, async (connection) => {
    for (const year of YEARS) {
      await connection.run(
        `COPY (SELECT * FROM read_csv('${BIRDSTRIKES}') WHERE year(CAST("Flight Date" AS DATE)) = ${year}) ` +
          `TO '${join(folder, `${year}.csv`)}' (HEADER)`,
      );
    }
  });
  for (const year of YEARS)
    await putLocalFile(env, join(folder, `${year}.csv`), 'raw', `${prefix}${year}.csv`);
}

export async function sourceRowCount(): Promise<number> {
  const [row] = await withDuckDb({ workDir: REPO_ROOT }, (connection) =>
    queryRows(connection, `SELECT count(*) AS n FROM read_csv('${BIRDSTRIKES}')`),
  );
  return Number(row?.n);
}

const ENDED: readonly RunRecord['status'][] = ['success', 'failed', 'cancelled', 'timeout'];

/** Polls the store, as an API client would, until the run has ended. */
export async function waitForRunEnd(
  organization: string,
  runId: string,
  timeoutMs = 60_000,
): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await handlerDeps(organization).store.getRun(runId);
    if (run !== undefined && ENDED.includes(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} did not end within ${timeoutMs} ms: ${run?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface PlannedChunk {
  readonly index: number;
  readonly key?: string;
  readonly parts?: readonly { readonly key?: string }[];
}

/** A run's planned chunks of an extractor, and which of them read any of `keys` (plain or packed chunks). */
export async function plannedChunks(
  organization: string,
  runId: string,
  nodeId: string,
  keys: readonly string[] = [],
): Promise<{ all: number[]; reading: number[] }> {
  const { s3, env } = handlerDeps(organization);
  const plan = (await getJson(s3, env.stagingBucket, planKey(runId, nodeId))) as PlannedChunk[];
  const readKeys = (chunk: PlannedChunk) => [chunk.key, ...(chunk.parts ?? []).map((part) => part.key)];
  return {
    all: plan.map((chunk) => chunk.index),
    reading: plan
      .filter((chunk) => readKeys(chunk).some((key) => key !== undefined && keys.includes(key)))
      .map((c) => c.index),
  };
}
