/**
 * The API Lambda's deployment settings: the function-ARN map read from
 * staging (too large for Lambda's 4 KB environment), CORS origins and the
 * schedule sync, all from the environment the stack sets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudApiDeps } from '../../../../functions/api/cloud-deps.ts';

const ARNS = {
  's3-csv': 'arn:aws:lambda:eu-west-1:123456789012:function:etl-s3-csv',
  'control-init': 'arn:aws:lambda:eu-west-1:123456789012:function:etl-control-init',
};

let server: Server;
let endpoint: string;
const requested: string[] = [];

/** Answers GetObject of the map with its JSON, anything else with S3's NoSuchKey. */
beforeAll(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    if (request.url?.startsWith('/staging/platform/function-arns.json')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ARNS));
      return;
    }
    response
      .writeHead(404, { 'content-type': 'application/xml' })
      .end('<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const logger = { info: () => undefined, error: () => undefined };

function deployed(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ETL_METADATA_TABLE: 'metadata',
    ETL_STAGING_BUCKET: 'staging',
    ETL_S3_ENDPOINT: endpoint,
    AWS_REGION: 'eu-west-1',
    ETL_FUNCTION_ARNS_KEY: 'platform/function-arns.json',
    ETL_PIPELINE_ROLE_ARN: 'arn:aws:iam::123456789012:role/pipelines',
    ETL_ACCOUNT_ID: '123456789012',
    ETL_COGNITO_USER_POOL_ID: 'eu-west-1_abc',
    ETL_COGNITO_CLIENT_ID: 'client',
    ...extra,
  };
}

describe('cloudApiDeps', () => {
  it('reads the function ARNs from the staging key the stack names', async () => {
    const deps = await cloudApiDeps(logger, deployed());

    expect(deps.resolveFunctionArn('s3-csv')).toBe(ARNS['s3-csv']);
    expect(deps.resolveFunctionArn('control-init')).toBe(ARNS['control-init']);
    expect(requested.some((url) => url.startsWith('/staging/platform/function-arns.json'))).toBe(true);
  });

  it('fails at cold start when the map is missing from staging', async () => {
    await expect(
      cloudApiDeps(logger, deployed({ ETL_FUNCTION_ARNS_KEY: 'platform/nothing.json' })),
    ).rejects.toThrow(/nothing\.json/);
  });

  it('syncs schedules and allows the console origin when the stack sets them', async () => {
    const deps = await cloudApiDeps(
      logger,
      deployed({
        ETL_SCHEDULE_GROUP: 'EtlPlatform-pipelines',
        ETL_SCHEDULED_RUN_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:etl-scheduled-run',
        ETL_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
        ETL_API_CORS_ORIGINS: 'https://d111111abcdef8.cloudfront.net, https://console.example.com',
      }),
    );

    expect(deps.schedules).toBeDefined();
    expect(deps.corsOrigins).toStrictEqual([
      'https://d111111abcdef8.cloudfront.net',
      'https://console.example.com',
    ]);
  });

  it('leaves schedules and CORS out when the environment has neither', async () => {
    const deps = await cloudApiDeps(logger, deployed());

    expect(deps.schedules).toBeUndefined();
    expect(deps.corsOrigins).toBeUndefined();
  });
});
