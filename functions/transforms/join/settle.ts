/**
 * The step after a join's tasks: counts the broadcast input once. Its rows
 * are in every task, so no task can count them: a broadcast row is unmatched
 * only if no task matched it. Recorded as one more chunk of the join node
 * (index = number of tasks), so the run's totals equal the shuffle join's.
 * After a shuffle join there is nothing to do.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { getJson, listObjects } from '../../../shared/aws/s3-objects.ts';
import { broadcastMatchedPrefix, broadcastPlanKey } from '../../../shared/chunks/shuffle.ts';
import { queryRows, withDuckDb } from '../../../shared/duckdb/engine.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import { recordChunkMetrics } from '../../../shared/lambda/chunk-metrics.ts';
import type { HandlerDeps } from '../../../shared/lambda/deps.ts';
import { NodeRefSchema, RunContextSchema } from '../../../shared/lambda/events.ts';
import { elapsedMs } from '../../../shared/lambda/node-task.ts';
import type { Observability } from '../../../shared/lambda/powertools.ts';
import { withWorkDir } from '../../../shared/lambda/work-dir.ts';
import { allShuffleFiles, downloadAll, openShuffledInput } from './broadcast-files.ts';
import { type JoinPlanRecord, JoinPlanRecordSchema } from './broadcast-plan.ts';
import { dropsUnmatched } from './kernel.ts';
import type { JoinConfig } from './module.ts';

/** -> built by the translator's `settlePayload` (statemachines/payloads.ts). */
export const JoinSettleEventSchema = z.strictObject({
  action: z.literal('settle'),
  run: RunContextSchema,
  node: NodeRefSchema,
});
export type JoinSettleEvent = z.output<typeof JoinSettleEventSchema>;

export interface SettleResult {
  readonly strategy: 'broadcast' | 'shuffle';
}

/** The plan's record; a missing one is a bug (the plan writes it before any task runs). */
async function readPlan(deps: HandlerDeps, event: JoinSettleEvent): Promise<JoinPlanRecord> {
  const key = broadcastPlanKey(event.run.runId, event.node.id);
  const raw = await getJson(deps.s3, deps.env.stagingBucket, key);
  const parsed = JoinPlanRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidEventError(`${key} is not a join plan record: ${JSON.stringify(raw)}`);
  }
  return parsed.data;
}

export async function settleJoin(
  deps: HandlerDeps,
  observability: Observability,
  config: JoinConfig,
  event: JoinSettleEvent,
): Promise<SettleResult> {
  const startedAt = performance.now();
  const { run, node } = event;
  const plan = await readPlan(deps, event);
  if (plan.strategy === 'shuffle') return { strategy: 'shuffle' };
  const counts = await withWorkDir((workDir) =>
    withDuckDb({ workDir }, async (connection) => {
      const broadcast = { runId: run.runId, nodeId: node.id, input: plan.broadcast };
      const keys = await allShuffleFiles(deps, broadcast);
      await openShuffledInput(deps, connection, broadcast, keys, workDir);
      const matched = await listObjects(
        deps.s3,
        deps.env.stagingBucket,
        broadcastMatchedPrefix(run.runId, node.id),
      );
      const paths = await downloadAll(
        deps,
        matched.map((object) => object.key),
        join(workDir, 'matched'),
      );
      const matchedRows =
        paths.length === 0
          ? '0'
          : `(SELECT count(*) FROM (SELECT DISTINCT _etl_chunk, _etl_row FROM read_parquet([${paths.map(sqlString).join(', ')}])))`;
      const [row] = await queryRows(
        connection,
        `SELECT (SELECT count(*) FROM input_${plan.broadcast})::BIGINT AS total, ${matchedRows}::BIGINT AS matched`,
      );
      return { total: Number(row?.total ?? 0), matched: Number(row?.matched ?? 0) };
    }),
  );
  await recordChunkMetrics(deps, observability, run, node, {
    chunkIndex: plan.tasks,
    rowsIn: counts.total,
    rowsOut: 0,
    rowsRejected: 0,
    rowsFiltered: dropsUnmatched(config.type, plan.broadcast) ? counts.total - counts.matched : 0,
    durationMs: elapsedMs(startedAt),
    bytesOut: 0,
  });
  return { strategy: 'broadcast' };
}
