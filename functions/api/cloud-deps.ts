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
 * | ETL_PIPELINE_ROLE_ARN, ETL_ACCOUNT_ID | pipeline state machines' role, the account       |
 * | ETL_STATE_MACHINE_PREFIX, ETL_PIPELINE_LOG_GROUP_ARN | optional                          |
 * | ETL_API_BASE_PATH           | optional route prefix (default: none, the stage root)       |
 */
import { tmpdir } from 'node:os';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tokenVerifierFromEnv } from '../../shared/auth/from-env.ts';
import { createDynamoDbClient, createS3Client } from '../../shared/aws/clients.ts';
import { readHandlerEnv } from '../../shared/aws/env.ts';
import { ConfigError } from '../../shared/errors.ts';
import { StepFunctionsExecutionService } from '../../shared/executions/sfn-execution-service.ts';
import { registry } from '../../shared/modules/registry.ts';
import { secretStoreFromEnv } from '../../shared/secrets/from-env.ts';
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

function functionArns(env: EnvSource): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(required(env, 'ETL_FUNCTION_ARNS'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, string>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('ETL_FUNCTION_ARNS must be a JSON object of function name -> ARN');
  }
}

export async function cloudApiDeps(logger: ApiLogger, env: EnvSource = process.env): Promise<ApiDeps> {
  const handlerEnv = readHandlerEnv(env);
  const resolveFunctionArn = deployedArnResolver(functionArns(env));
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
    s3: createS3Client(handlerEnv),
    stagingBucket: handlerEnv.stagingBucket,
    secrets: secretStoreFromEnv(env),
    executions,
    verifier: await tokenVerifierFromEnv({ ...env, ETL_AUTH: env.ETL_AUTH ?? 'cognito' }),
    registry,
    resolveFunctionArn,
    workDir: tmpdir(),
    logger,
    basePath: env.ETL_API_BASE_PATH ?? '',
  };
}
