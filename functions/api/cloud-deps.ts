/**
 * The API Lambda's dependencies from its environment: the metadata table,
 * the staging bucket, Secrets Manager, Cognito tokens and the Step Functions
 * executor with the stack's deployed function ARNs.
 *
 * | variable                    | what                                                        |
 * |-----------------------------|-------------------------------------------------------------|
 * | ETL_METADATA_TABLE, ETL_STAGING_BUCKET | as every handler (shared/aws/env.ts)             |
 * | ETL_COGNITO_USER_POOL_ID, ETL_COGNITO_CLIENT_ID | token verification (shared/auth/from-env.ts) |
 * | ETL_FUNCTION_ARNS           | JSON { function name: ARN } (deployedArnResolver's input)   |
 * | ETL_FUNCTION_ARNS_KEY       | or: key of that JSON in the staging bucket, read at cold start |
 * | ETL_PIPELINE_ROLE_ARN, ETL_ACCOUNT_ID | pipeline state machines' role, the account       |
 * | ETL_STATE_MACHINE_PREFIX, ETL_PIPELINE_LOG_GROUP_ARN | optional                          |
 * | ETL_API_BASE_PATH           | optional route prefix (default: none, the stage root)       |
 * | ETL_API_CORS_ORIGINS        | optional, comma-separated browser origins (the console's)   |
 * | ETL_SCHEDULE_GROUP, ETL_SCHEDULED_RUN_FUNCTION_ARN, ETL_SCHEDULER_ROLE_ARN | all or none: schedule sync (shared/triggers/schedule-sync.ts) |
 *
 * A deployment with dozens of functions cannot inline their ARNs: Lambda
 * caps a function's whole environment at 4 KB, so the stack writes the map
 * into the staging bucket and names its key instead.
 */
import { tmpdir } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tokenVerifierFromEnv } from '../../shared/auth/from-env.ts';
import { createDynamoDbClient, createS3Client } from '../../shared/aws/clients.ts';
import { readHandlerEnv } from '../../shared/aws/env.ts';
import { getJson } from '../../shared/aws/s3-objects.ts';
import { ConfigError } from '../../shared/errors.ts';
import { StepFunctionsExecutionService } from '../../shared/executions/sfn-execution-service.ts';
import { registry } from '../../shared/modules/registry.ts';
import { secretStoreFromEnv } from '../../shared/secrets/from-env.ts';
import { scheduleSyncFromEnv } from '../../shared/triggers/schedule-sync.ts';
import { deployedArnResolver } from '../../statemachines/function-names.ts';
import type { ApiDeps, ApiLogger } from './deps.ts';

type EnvSource = Readonly<Record<string, string | undefined>>;

function required(env: EnvSource, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(
      `environment variable ${name} is not set: the API function's deployment must provide it`,
    );
  }
  return value;
}

/** Names the staging-bucket key of the function-ARN map when the map is too large to inline. */
export const FUNCTION_ARNS_KEY_ENV = 'ETL_FUNCTION_ARNS_KEY';
/** Comma-separated browser origins allowed to call the API. */
export const CORS_ORIGINS_ENV = 'ETL_API_CORS_ORIGINS';

function asFunctionArns(parsed: unknown, source: string): Record<string, string> {
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((arn) => typeof arn === 'string')
  ) {
    throw new ConfigError(`${source} must be a JSON object of function name -> ARN`);
  }
  return parsed as Record<string, string>;
}

async function functionArns(env: EnvSource, s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const key = env[FUNCTION_ARNS_KEY_ENV];
  if (env.ETL_FUNCTION_ARNS === undefined && key) {
    return asFunctionArns(await getJson(s3, bucket, key), `s3://${bucket}/${key}`);
  }
  const inline = required(env, 'ETL_FUNCTION_ARNS');
  let parsed: unknown;
  try {
    parsed = JSON.parse(inline);
  } catch {
    parsed = undefined;
  }
  return asFunctionArns(parsed, 'ETL_FUNCTION_ARNS');
}

function corsOrigins(env: EnvSource): string[] {
  return (env[CORS_ORIGINS_ENV] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

export async function cloudApiDeps(logger: ApiLogger, env: EnvSource = process.env): Promise<ApiDeps> {
  const handlerEnv = readHandlerEnv(env);
  const s3 = createS3Client(handlerEnv);
  const resolveFunctionArn = deployedArnResolver(await functionArns(env, s3, handlerEnv.stagingBucket));
  const schedules = scheduleSyncFromEnv(env);
  const origins = corsOrigins(env);
  const executions = new StepFunctionsExecutionService({
    sfn: new SFNClient({ region: handlerEnv.region }),
    region: handlerEnv.region,
    roleArn: required(env, 'ETL_PIPELINE_ROLE_ARN'),
    accountId: required(env, 'ETL_ACCOUNT_ID'),
    resolveFunctionArn,
    ...(env.ETL_STATE_MACHINE_PREFIX ? { namePrefix: env.ETL_STATE_MACHINE_PREFIX } : {}),
    ...(env.ETL_PIPELINE_LOG_GROUP_ARN ? { logGroupArn: env.ETL_PIPELINE_LOG_GROUP_ARN } : {}),
  });
  return {
    dynamo: createDynamoDbClient(handlerEnv),
    table: handlerEnv.metadataTable,
    idempotency: handlerEnv,
    s3,
    stagingBucket: handlerEnv.stagingBucket,
    secrets: secretStoreFromEnv(env),
    executions,
    verifier: await tokenVerifierFromEnv({ ...env, ETL_AUTH: env.ETL_AUTH ?? 'cognito' }),
    registry,
    resolveFunctionArn,
    workDir: tmpdir(),
    logger,
    basePath: env.ETL_API_BASE_PATH ?? '',
    ...(schedules ? { schedules } : {}),
    ...(origins.length > 0 ? { corsOrigins: origins } : {}),
  };
}
