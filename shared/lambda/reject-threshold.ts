/** `execution.max_reject_ratio`, enforced before any loader publishes, so a bad run leaves destinations unchanged. */
import { formatS3Uri } from '../aws/s3-uri.ts';
import { rejectsPrefix } from '../chunks/ref.ts';
import { DataError } from '../errors.ts';
import type { RunStore } from '../store/run-store.ts';

export class RejectThresholdError extends DataError {
  override readonly name = 'RejectThresholdExceeded';
}

export async function assertRejectsWithinThreshold(
  store: RunStore,
  runId: string,
  maxRejectRatio: number,
  stagingBucket: string,
): Promise<void> {
  for (const [nodeId, totals] of await store.nodeTotals(runId)) {
    if (totals.rowsIn === 0) continue;
    const ratio = totals.rowsRejected / totals.rowsIn;
    if (ratio > maxRejectRatio) {
      const rejectsAt = formatS3Uri(stagingBucket, rejectsPrefix(runId, nodeId));
      throw new RejectThresholdError(
        `node ${nodeId} rejected ${totals.rowsRejected} of ${totals.rowsIn} rows (${(ratio * 100).toFixed(1)}%), ` +
          `over execution.max_reject_ratio ${(maxRejectRatio * 100).toFixed(1)}%: nothing was published; ` +
          `the rejected rows and reasons are in ${rejectsAt}`,
      );
    }
  }
}
