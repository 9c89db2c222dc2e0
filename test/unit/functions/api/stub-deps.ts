/** ApiDeps for tests that never reach storage: any store call fails fast. */
import { S3Client } from '@aws-sdk/client-s3';
import type { ApiDeps } from '../../../../functions/api/deps.ts';
import { LocalTokenVerifier } from '../../../../shared/auth/local-tokens.ts';
import { createDynamoDbClient } from '../../../../shared/aws/clients.ts';
import type { ExecutionService } from '../../../../shared/executions/execution-service.ts';
import { registry } from '../../../../shared/modules/registry.ts';
import { localFunctionArn } from '../../../../statemachines/function-names.ts';

export const TEST_KEY = new Uint8Array(32).fill(3);

const unreachable = async () => {
  throw new Error('not in this test');
};

export const noExecutions: ExecutionService = {
  deployPipeline: unreachable,
  removePipeline: unreachable,
  start: unreachable,
  cancel: unreachable,
  redrive: unreachable,
  rerunFailedChunks: unreachable,
};

export function stubDeps(overrides: Partial<ApiDeps> = {}): ApiDeps {
  return {
    dynamo: createDynamoDbClient({ region: 'us-east-1', dynamoDbEndpoint: 'http://127.0.0.1:9' }),
    table: 'none',
    idempotency: { metadataTable: 'none', region: 'us-east-1', dynamoDbEndpoint: 'http://127.0.0.1:9' },
    s3: new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
    stagingBucket: 'none',
    secrets: { location: 'nowhere', get: unreachable, put: unreachable, delete: unreachable },
    executions: noExecutions,
    verifier: new LocalTokenVerifier(TEST_KEY),
    registry,
    resolveFunctionArn: localFunctionArn,
    workDir: '/tmp',
    logger: { info: () => undefined, error: () => undefined },
    preview: unreachable,
    ...overrides,
  };
}
