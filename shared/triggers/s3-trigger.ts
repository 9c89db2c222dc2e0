/**
 * Starts the runs an uploaded object triggers: every pipeline whose S3
 * trigger matches the bucket and key, at most once per object version
 * (version id, or ETag in an unversioned bucket), however many times and
 * however concurrently the event arrives.
 */
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { InvalidEventError } from '../errors.ts';
import type { ExecutionService, ParameterValues } from '../executions/execution-service.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { TriggerClaims } from './claims.ts';
import { type ObjectCreatedEvent, ObjectCreatedEventSchema } from './s3-object-event.ts';

export interface TriggerMatch {
  readonly organization: string;
  readonly pipelineId: string;
}

/** Pipelines by S3 trigger (the pipeline store's trigger index satisfies it). */
export interface TriggerTargets {
  findPipelinesForObject(bucket: string, key: string): Promise<readonly TriggerMatch[]>;
}

/** The latest version of a pipeline of any organization (the pipeline store, per organization). */
export interface PipelineSource {
  getLatest(
    organization: string,
    pipelineId: string,
  ): Promise<{ readonly version: number; readonly pipeline: Pipeline } | undefined>;
}

export interface S3TriggerDeps {
  readonly targets: TriggerTargets;
  readonly pipelines: PipelineSource;
  readonly executions: ExecutionService;
  readonly claims: TriggerClaims;
  /** Run ids are ULIDs (they sort by time); injectable for tests. */
  readonly newRunId?: () => string;
}

export interface TriggeredRun {
  readonly organization: string;
  readonly pipelineId: string;
  /** Absent when another delivery of the same event already started the run. */
  readonly runId?: string;
}

/** What identifies one version of an object; the ETag stands in where the bucket is unversioned. */
function objectVersion(event: ObjectCreatedEvent): string {
  const { object } = event.detail;
  const version = object['version-id'] ?? object.etag;
  if (version === undefined) {
    throw new InvalidEventError(
      `Object Created event for s3://${event.detail.bucket.name}/${object.key} has neither version-id nor etag: cannot tell one upload from another`,
    );
  }
  return version;
}

/** Keys are up to 1,024 bytes, too long for a sort key with a prefix: claim a digest. */
function claimId(pipelineId: string, bucket: string, key: string, version: string): string {
  const digest = createHash('sha256').update(`${bucket}\u0000${key}\u0000${version}`).digest('hex');
  return `S3OBJECT#${pipelineId}#${digest}`;
}

function runParameters(event: ObjectCreatedEvent): ParameterValues {
  const { bucket, object } = event.detail;
  return {
    s3_bucket: bucket.name,
    s3_key: object.key,
    ...(object.etag === undefined ? {} : { s3_etag: object.etag }),
    ...(object['version-id'] === undefined ? {} : { s3_version_id: object['version-id'] }),
  };
}

async function startOnce(
  deps: S3TriggerDeps,
  event: ObjectCreatedEvent,
  version: string,
  match: TriggerMatch,
): Promise<TriggeredRun> {
  const { bucket, object } = event.detail;
  const latest = await deps.pipelines.getLatest(match.organization, match.pipelineId);
  // Deleted since the index was read: nothing to run.
  if (latest === undefined) return { ...match };
  const id = claimId(match.pipelineId, bucket.name, object.key, version);
  const runId = (deps.newRunId ?? ulid)();
  const claimed = await deps.claims.claim({
    organization: match.organization,
    id,
    attributes: { pipelineId: match.pipelineId, bucket: bucket.name, key: object.key, version, runId },
  });
  if (!claimed) return { ...match };
  try {
    await deps.executions.start({
      organization: match.organization,
      pipeline: latest.pipeline,
      pipelineVersion: latest.version,
      runId,
      parameters: runParameters(event),
      trigger: 's3',
    });
  } catch (error) {
    // Let the redelivery (EventBridge retries a failed target) claim it again.
    await deps.claims.release(match.organization, id);
    throw error;
  }
  return { ...match, runId };
}

/** Parses an EventBridge Object Created event and starts the runs it triggers. */
export async function handleObjectCreated(rawEvent: unknown, deps: S3TriggerDeps): Promise<TriggeredRun[]> {
  const parsed = ObjectCreatedEventSchema.safeParse(rawEvent);
  if (!parsed.success) {
    throw new InvalidEventError(
      `not an S3 Object Created event: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
    );
  }
  const event = parsed.data;
  const version = objectVersion(event);
  const matches = await deps.targets.findPipelinesForObject(
    event.detail.bucket.name,
    event.detail.object.key,
  );
  const started: TriggeredRun[] = [];
  for (const match of matches) started.push(await startOnce(deps, event, version, match));
  return started;
}
