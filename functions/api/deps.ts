/**
 * What the API needs from its deployment, injected: the same router runs in
 * the Lambda (Step Functions behind `executions`) and under `etl serve`
 * (the local runtime behind it).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenVerifier } from '../../shared/auth/principal.ts';
import type { ExecutionService } from '../../shared/executions/execution-service.ts';
import type { PreviewRequest } from '../../shared/executions/preview.ts';
import type { PreviewResult } from '../../shared/executions/preview-result.ts';
import type { ModuleRegistry } from '../../shared/modules/registry.ts';
import type { SecretStore } from '../../shared/secrets/secret-store.ts';
import type { FunctionArnResolver } from '../../statemachines/function-names.ts';

export interface ApiLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface ApiDeps {
  readonly dynamo: DynamoDBDocumentClient;
  readonly table: string;
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
}
