/**
 * What a redrive and a rerun of failed chunks write before their execution
 * starts: the resume file naming the chunks still to do per extractor (read
 * by the extractor plans, see shared/lambda/resumable-plan.ts), and for a
 * rerun, the failed run's completed chunks copied under the new run.
 */
import { putJson } from '../aws/s3-objects.ts';
import type { HandlerDeps } from '../lambda/deps.ts';
import { type ResumeFile, resumeKey } from '../lambda/resumable-plan.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { RunRecord } from '../store/run-types.ts';
import { watermarkStoreFromEnv } from '../store/watermark-store.ts';
import { extractorStages, type StageCompletion, stageCompletion } from './chunk-completion.ts';
import { RerunNotPossibleError, RunNotFoundError, RunStateConflictError } from './errors.ts';
import type { RerunFailedChunksRequest } from './execution-service.ts';
import { reuseCompletedChunks } from './reuse-chunks.ts';
import { type RunSnapshot, readRunSnapshot } from './run-snapshot.ts';

/**
 * Loaders whose `load` stages each chunk under the run's prefix in the
 * staging bucket, so a reused chunk's staged files can be copied. SQL
 * loaders stage into a per-run table in the database, which a new run
 * cannot take over.
 */
const BUCKET_STAGED_LOADERS: ReadonlySet<string> = new Set(['s3-parquet', 's3-csv-load', 's3-json-load']);

export interface ResumeSummary {
  /** Per extractor: chunks the resumed run processes. */
  readonly redo: Readonly<Record<string, readonly number[]>>;
  /** Per extractor: chunks it takes as they are. */
  readonly reused: Readonly<Record<string, readonly number[]>>;
}

function resumeFileOf(completions: readonly StageCompletion[]): ResumeFile {
  const chunks: Record<string, number[]> = {};
  for (const { stage, planned, incomplete } of completions) {
    if (planned !== undefined) chunks[stage.extractorId] = [...incomplete];
  }
  return { chunks };
}

function summary(completions: readonly StageCompletion[]): ResumeSummary {
  const redo: Record<string, readonly number[]> = {};
  const reused: Record<string, readonly number[]> = {};
  for (const { stage, incomplete, complete } of completions) {
    redo[stage.extractorId] = incomplete;
    reused[stage.extractorId] = complete;
  }
  return { redo, reused };
}

/** Redrive: same run, same definition; the chunks it completed stay where they are. */
export async function prepareRedrive(deps: HandlerDeps, run: RunSnapshot): Promise<ResumeSummary> {
  const completions = await stageCompletion(deps, run.runId, run.pipeline);
  await putJson(deps.s3, deps.env.stagingBucket, resumeKey(run.runId), resumeFileOf(completions));
  return summary(completions);
}

function nodeSignature(pipeline: Pipeline, nodeId: string): string {
  const node = pipeline.nodes.find((candidate) => candidate.id === nodeId);
  return node === undefined ? 'absent' : node.module;
}

/**
 * Reused chunks must mean the same under the new version: the same
 * extractors read the same source into the same chunks, through the same
 * chunk-local nodes. Transform configs may differ (that is the fix).
 */
export function checkRerunCompatible(failed: Pipeline, current: Pipeline): void {
  const problems: string[] = [];
  const before = new Map(extractorStages(failed).map((stage) => [stage.extractorId, stage]));
  const after = extractorStages(current);
  if (before.size !== after.length || after.some((stage) => !before.has(stage.extractorId))) {
    problems.push(
      `the extractors changed (${[...before.keys()].join(', ')} -> ${after.map((s) => s.extractorId).join(', ')})`,
    );
  }
  if (failed.execution.chunk_size_bytes !== current.execution.chunk_size_bytes) {
    problems.push('execution.chunk_size_bytes changed, so chunks would not line up');
  }
  for (const stage of after) {
    const old = before.get(stage.extractorId);
    if (old === undefined) continue;
    const extractor = (pipeline: Pipeline) =>
      JSON.stringify(pipeline.nodes.find((node) => node.id === stage.extractorId)?.config ?? null);
    if (extractor(failed) !== extractor(current)) {
      problems.push(`extractor ${stage.extractorId} reads with another config, so chunks would not line up`);
    }
    const ids = (nodes: readonly { id: string }[]) => nodes.map((node) => node.id).join(', ');
    if (ids(old.nodes) !== ids(stage.nodes)) {
      problems.push(
        `the nodes fed by ${stage.extractorId} changed (${ids(old.nodes)} -> ${ids(stage.nodes)})`,
      );
    }
    for (const node of stage.nodes) {
      if (nodeSignature(failed, node.id) !== node.module) {
        problems.push(`node ${node.id} changed module (${nodeSignature(failed, node.id)} -> ${node.module})`);
      }
      if (node.type === 'loader' && !BUCKET_STAGED_LOADERS.has(node.module)) {
        problems.push(
          `loader ${node.id} (${node.module}) stages into its destination, not the staging bucket, so chunks it loaded cannot be reused; start a new run`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new RerunNotPossibleError(`cannot rerun the failed chunks: ${problems.join('; ')}`);
  }
}

/** Rerun: a new run of the current version taking over the failed run's completed chunks. */
export async function prepareRerun(
  deps: HandlerDeps,
  failed: RunSnapshot,
  rerun: RunSnapshot,
): Promise<ResumeSummary> {
  checkRerunCompatible(failed.pipeline, rerun.pipeline);
  const completions = await stageCompletion(deps, failed.runId, failed.pipeline);
  const unplanned = completions.filter((completion) => completion.planned === undefined);
  if (unplanned.length > 0) {
    // Without the failed run's chunk list, chunks planned now might not line up with the reused ones.
    throw new RerunNotPossibleError(
      `cannot rerun the failed chunks of run ${failed.runId}: extractor ${unplanned.map((c) => c.stage.extractorId).join(', ')} never planned its chunks there; start a new run`,
    );
  }
  await reuseCompletedChunks(deps, failed.runId, rerun.runId, completions);
  await watermarkStoreFromEnv(deps.organization).copyPending(failed.runId, rerun.runId);
  await putJson(deps.s3, deps.env.stagingBucket, resumeKey(rerun.runId), resumeFileOf(completions));
  return summary(completions);
}

/** Redrive and rerun apply to runs that ended without success, as Step Functions' redrive does. */
export function assertResumable(
  run: RunRecord | undefined,
  organization: string,
  runId: string,
  action: string,
): RunRecord {
  if (run === undefined) throw new RunNotFoundError(organization, runId);
  if (run.status !== 'failed' && run.status !== 'timeout' && run.status !== 'cancelled') {
    throw new RunStateConflictError(
      `run ${runId} is ${run.status}: only a failed, timed-out or cancelled run can be ${action}`,
    );
  }
  return run;
}

/**
 * Everything a rerun of failed chunks needs before its execution starts:
 * the failed run checked, its completed chunks reused; returns the new run's
 * snapshot (same parameters and trigger, the current pipeline version).
 */
export async function prepareRerunOf(
  deps: HandlerDeps,
  request: RerunFailedChunksRequest,
): Promise<RunSnapshot> {
  const { organization, failedRunId } = request;
  assertResumable(await deps.store.getRun(failedRunId), organization, failedRunId, 'rerun');
  const failed = await readRunSnapshot(deps.s3, deps.env.stagingBucket, organization, failedRunId);
  const rerun: RunSnapshot = {
    organization,
    runId: request.runId,
    pipeline: request.pipeline,
    pipelineVersion: request.pipelineVersion,
    parameters: failed.parameters,
    trigger: failed.trigger,
    rerunOf: failedRunId,
  };
  await prepareRerun(deps, failed, rerun);
  return rerun;
}
