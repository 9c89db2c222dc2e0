/**
 * What the trigger functions need in the cloud, built once per process from
 * the environment: the pipeline store's trigger index, the claims, and the
 * Step Functions executor that starts runs of deployed state machines.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoDbClient } from '../aws/clients.ts';
import { readHandlerEnv } from '../aws/env.ts';
import { ConfigError } from '../errors.ts';
import { StepFunctionsExecutionService } from '../executions/sfn-execution-service.ts';
import { TriggerClaims } from './claims.ts';
import type { S3TriggerDeps } from './s3-trigger.ts';
import { pipelineSourceFromStore, triggerTargetsFromStore } from './store-adapters.ts';

type EnvSource = Readonly<Record<string, string | undefined>>;

/** Role of the pipeline state machines, and the account they live in (set by the CDK app). */
export const PIPELINE_ROLE_ENV = 'ETL_PIPELINE_ROLE_ARN';
export const ACCOUNT_ID_ENV = 'ETL_ACCOUNT_ID';

function required(env: EnvSource, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(
      `environment variable ${name} is not set: the trigger function's deployment must provide it`,
    );
  }
  return value;
}

let cached: { key: string; deps: S3TriggerDeps } | undefined;

export function triggerDepsFromEnv(env: EnvSource = process.env): S3TriggerDeps {
  const handlerEnv = readHandlerEnv(env);
  const settings = {
    roleArn: required(env, PIPELINE_ROLE_ENV),
    accountId: required(env, ACCOUNT_ID_ENV),
    // The prefix the API named its machines with (infra/constructs/trigger-functions.ts sets it).
    ...(env.ETL_STATE_MACHINE_PREFIX ? { namePrefix: env.ETL_STATE_MACHINE_PREFIX } : {}),
  };
  const key = JSON.stringify([handlerEnv, settings]);
  if (cached?.key === key) return cached.deps;
  const client = createDynamoDbClient(handlerEnv);
  const executions = new StepFunctionsExecutionService({
    sfn: new SFNClient({ region: handlerEnv.region }),
    region: handlerEnv.region,
    ...settings,
    // Triggers start state machines the API deployed; they never translate a pipeline.
    resolveFunctionArn: (name) => {
      throw new ConfigError(`trigger functions do not deploy pipelines (asked for the ARN of ${name})`);
    },
  });
  const deps: S3TriggerDeps = {
    targets: triggerTargetsFromStore(client, handlerEnv.metadataTable),
    pipelines: pipelineSourceFromStore(client, handlerEnv.metadataTable),
    executions,
    claims: new TriggerClaims(client, handlerEnv.metadataTable),
  };
  cached = { key, deps };
  return deps;
}
