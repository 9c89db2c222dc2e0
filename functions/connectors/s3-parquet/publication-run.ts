/**
 * Which run a commit publishes as. A rerun of failed chunks completes the run
 * it reruns (itself perhaps a rerun): it publishes under the run that started
 * that chain, with the same chunk indices, so whatever a failed run's commit
 * had already published (part of it, or all of it before a later step
 * failed) is overwritten by the same chunks' files, never added beside them.
 * Publishing under its own id, a rerun left the failed run's files in the
 * dataset and every row they held was there twice (found by test/fault/).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidEventError } from '../../../shared/errors.ts';
import { readRunSnapshot } from '../../../shared/executions/run-snapshot.ts';
import type { RunContext } from '../../../shared/lambda/events.ts';

export async function publicationRunId(
  s3: S3Client,
  stagingBucket: string,
  run: Pick<RunContext, 'runId' | 'organization' | 'resumeFrom'>,
): Promise<string> {
  // A first run has no predecessor, and no snapshot if `etl run` started it.
  if (run.resumeFrom === undefined) return run.runId;
  // A redrive (of a rerun, maybe) or a rerun: follow `rerunOf` back to the first run.
  const seen = new Set<string>();
  let current = run.runId;
  for (;;) {
    if (seen.has(current)) {
      throw new InvalidEventError(`the reruns of run ${run.runId} loop back to run ${current}`);
    }
    seen.add(current);
    const { rerunOf } = await readRunSnapshot(s3, stagingBucket, run.organization, current);
    if (rerunOf === undefined) return current;
    current = rerunOf;
  }
}
