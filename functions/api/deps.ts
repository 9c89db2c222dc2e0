/**
 * What the API needs from its deployment, injected: the same router runs in
 * the Lambda (Step Functions behind `executions`) and under `etl serve`
 * (the local runtime behind it).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenVerifier } from '../../shared/auth/principal.ts';
import type { HandlerEnv } from '../../shared/aws/env.ts';
import type { ExecutionService } from '../../shared/executions/execution-service.ts';
import type { PreviewRequest } from '../../shared/executions/preview.ts';
import type { PreviewResult } from '../../shared/executions/preview-result.ts';
import type { ModuleRegistry } from '../../shared/modules/registry.ts';
import type { SecretStore } from '../../shared/secrets/secret-store.ts';
import type { PipelineScheduleSpec } from '../../shared/triggers/schedule-sync.ts';
import type { FunctionArnResolver } from '../../statemachines/function-names.ts';

export interface ApiLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Keeps the schedule that runs a pipeline in step with its saved `schedule`:
 * EventBridge Scheduler in the cloud (`ScheduleSync`), the in-process cron
 * jobs under `etl serve`.
 */
export interface PipelineSchedules {
  /** Creates or updates the pipeline's schedule; no schedule removes it. */
  sync(
    organization: string,
    pipelineId: string,
    schedule: PipelineScheduleSpec | undefined,
  ): Promise<unknown>;
  /** Removes the pipeline's schedule; one that does not exist is not an error. */
  remove(organization: string, pipelineId: string): Promise<unknown>;
}

export interface ApiDeps {
  readonly dynamo: DynamoDBDocumentClient;
  readonly table: string;
  /**
   * Where Powertools Idempotency keeps the records of `Idempotency-Key`
   * requests (shared/idempotency/): the same metadata table, reached through
   * its own low-level client.
   */
  readonly idempotency: Pick<HandlerEnv, 'metadataTable' | 'region' | 'dynamoDbEndpoint'>;
  readonly s3: S3Client;
  /** Where runs keep chunks, rejects and quality reports (`runs/<runId>/<nodeId>/...`). */
  readonly stagingBucket: string;
  readonly secrets: SecretStore;
  readonly executions: ExecutionService;
  readonly verifier: TokenVerifier;
  readonly registry: ModuleRegistry;
  /** Function ARNs in the ASL that `POST /validate` returns. */
  readonly resolveFunctionArn: FunctionArnResolver;
  /** Scratch folder for reading rejects files. */
  readonly workDir: string;
  readonly logger: ApiLogger;
  /**
   * Runs a node on a sample (`POST /preview`); the route exists only where
   * this is given (`etl serve`: the local runtime).
   */
  readonly preview?: (request: PreviewRequest) => Promise<PreviewResult>;
  /** Largest request body, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Prefix of every route: `/api` under `etl serve`, empty behind API Gateway. */
  readonly basePath?: string;
  /**
   * Where saved pipelines' schedules are kept running.
   * @default none: schedules are saved with the pipeline but nothing runs them
   */
  readonly schedules?: PipelineSchedules;
  /**
   * Browser origins allowed to call the API cross-origin (the console's CloudFront URL).
   * @default none: no CORS headers, same-origin callers only (`etl serve` serves the console itself)
   */
  readonly corsOrigins?: readonly string[];
}
