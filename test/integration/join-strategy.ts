/** What a join's plan chose in a run, read from the record it leaves for its settle step. */

import { JoinPlanRecordSchema } from '../../functions/transforms/join/broadcast-plan.ts';
import { getJson, listObjects } from '../../shared/aws/s3-objects.ts';
import { broadcastPlanKey } from '../../shared/chunks/shuffle.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import type { TestEnvironment } from './harness.ts';

/** `none`: the join had no settle step (strategy shuffle, or a full join), so no record. */
export async function joinStrategyOf(
  env: TestEnvironment,
  runId: string,
  nodeId: string,
): Promise<'broadcast' | 'shuffle' | 'none'> {
  const key = broadcastPlanKey(runId, nodeId);
  const found = await listObjects(env.services.s3, LOCAL_STAGING_BUCKET, key);
  if (found.length === 0) return 'none';
  return JoinPlanRecordSchema.parse(await getJson(env.services.s3, LOCAL_STAGING_BUCKET, key)).strategy;
}
