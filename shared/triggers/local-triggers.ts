/**
 * `etl serve`'s schedules and S3 triggers: croner runs each enabled
 * schedule (the same 5-field expressions the cloud converts for
 * EventBridge Scheduler), and uploads into the local S3 become EventBridge
 * "Object Created" events handled exactly as in the cloud.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { Cron } from 'croner';
import { createDynamoDbClient } from '../aws/clients.ts';
import { errorMessage } from '../errors.ts';
import type { ExecutionService } from '../executions/execution-service.ts';
import type { LocalServices } from '../runtime/local-services.ts';
import { TriggerClaims } from './claims.ts';
import { toAwsCron } from './cron.ts';
import { type ObjectCreatedEvent, objectCreatedFromNotification } from './s3-object-event.ts';
import { handleObjectCreated, type PipelineSource, type TriggerTargets } from './s3-trigger.ts';
import { startScheduledRun } from './scheduled-run.ts';
import { explicitUnixCron } from './unix-cron.ts';

export interface ScheduledPipelineEntry {
  readonly organization: string;
  readonly pipelineId: string;
  readonly cron: string;
  readonly timezone: string;
}

/** Every enabled schedule across organizations (the pipeline store's trigger index satisfies it). */
export interface ScheduleSource {
  listScheduledPipelines(): Promise<readonly ScheduledPipelineEntry[]>;
}

export interface LocalTriggerOptions {
  readonly services: Pick<LocalServices, 'env' | 's3' | 'onS3Notification'>;
  readonly targets: TriggerTargets;
  readonly schedules: ScheduleSource;
  readonly executions: ExecutionService;
  readonly pipelines: PipelineSource;
  /** How often schedules are re-read, so pipelines saved meanwhile are picked up. Default 30 s. */
  readonly refreshSeconds?: number;
  /** A trigger that could not start its run has no caller to throw to: it is reported here. Default: stderr. */
  readonly onError?: (error: unknown, what: string) => void;
}

export interface LocalTriggers {
  /** Re-reads the schedules now (e.g. right after a pipeline was saved). */
  refreshSchedules(): Promise<void>;
  /** The schedules running now and when each fires next (for `etl serve`'s status and tests). */
  scheduled(): { organization: string; pipelineId: string; cron: string; nextRun: Date | undefined }[];
  /** Resolves once every trigger handled so far has started (or failed to start) its run. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_REFRESH_SECONDS = 30;

function reportToStderr(error: unknown, what: string): void {
  process.stderr.write(`etl serve: ${what}: ${errorMessage(error)}\n`);
}

/** s3rver leaves the ETag out of COPY events: read it, as the claim needs one. */
async function withEtag(
  options: LocalTriggerOptions,
  event: ObjectCreatedEvent,
): Promise<ObjectCreatedEvent> {
  const { object, bucket } = event.detail;
  if (object.etag !== undefined || object['version-id'] !== undefined) return event;
  const head = await options.services.s3.send(
    new HeadObjectCommand({ Bucket: bucket.name, Key: object.key }),
  );
  const etag = head.ETag?.replaceAll('"', '');
  return { ...event, detail: { ...event.detail, object: { ...object, ...(etag ? { etag } : {}) } } };
}

export function startLocalTriggers(options: LocalTriggerOptions): LocalTriggers {
  const onError = options.onError ?? reportToStderr;
  const claims = new TriggerClaims(
    createDynamoDbClient(options.services.env),
    options.services.env.metadataTable,
  );
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>, what: string) => {
    const settled = work
      .catch((error: unknown) => onError(error, what))
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };

  const unsubscribe = options.services.onS3Notification((notification) => {
    for (const event of objectCreatedFromNotification(notification)) {
      const where = `s3://${event.detail.bucket.name}/${event.detail.object.key}`;
      track(
        withEtag(options, event).then((complete) => handleObjectCreated(complete, { ...options, claims })),
        `the S3 trigger for ${where} did not start its runs`,
      );
    }
  });

  const jobs = new Map<string, { entry: ScheduledPipelineEntry; job: Cron }>();
  const refreshSchedules = async () => {
    const wanted = new Map<string, ScheduledPipelineEntry>();
    for (const entry of await options.schedules.listScheduledPipelines()) {
      wanted.set(
        `${entry.organization}/${entry.pipelineId}\u0000${entry.cron}\u0000${entry.timezone}`,
        entry,
      );
    }
    for (const [key, { job }] of jobs) {
      if (wanted.has(key)) continue;
      job.stop();
      jobs.delete(key);
    }
    for (const [key, entry] of wanted) {
      if (jobs.has(key)) continue;
      const what = `schedule "${entry.cron}" of pipeline ${entry.pipelineId} (${entry.organization})`;
      try {
        // The cloud's rules apply locally too: what Scheduler cannot run does not run here either.
        toAwsCron(entry.cron);
        const job = new Cron(
          // Explicit lists: croner reads some steps (`1/1` in day-of-week) unlike cron and AWS.
          explicitUnixCron(entry.cron),
          { timezone: entry.timezone, mode: '5-part' },
          (self: Cron) => {
            const scheduledTime = self.currentRun() ?? new Date();
            track(
              startScheduledRun({ ...entry, scheduledTime }, { ...options, claims }),
              `${what} did not start its run`,
            );
          },
        );
        jobs.set(key, { entry, job });
      } catch (error) {
        onError(error, `${what} cannot run`);
      }
    }
  };

  const refresh = () => track(refreshSchedules(), 'reading the schedules failed');
  refresh();
  const timer = setInterval(refresh, (options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000);
  timer.unref();

  const idle = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  return {
    refreshSchedules,
    scheduled: () =>
      [...jobs.values()].map(({ entry, job }) => ({
        organization: entry.organization,
        pipelineId: entry.pipelineId,
        cron: entry.cron,
        nextRun: job.nextRun() ?? undefined,
      })),
    idle,
    async stop() {
      clearInterval(timer);
      unsubscribe();
      for (const { job } of jobs.values()) job.stop();
      jobs.clear();
      await idle();
    },
  };
}
