import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../../functions/api/app.ts';
import { cloudApiDeps } from '../../../../functions/api/cloud-deps.ts';
import { signLocalToken } from '../../../../shared/auth/local-tokens.ts';
import { stubDeps, TEST_KEY } from './stub-deps.ts';

function restEvent(method: string, path: string, headers: Record<string, string> = {}) {
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      httpMethod: method,
      path: `/prod${path}`,
      stage: 'prod',
      identity: { sourceIp: '10.0.0.1' },
    },
    body: null,
    isBase64Encoded: false,
  };
}

describe('the API behind API Gateway', () => {
  it('answers REST API proxy events at the stage root', async () => {
    const routed = handle(createApi(stubDeps({ basePath: '' })));
    const lambda = (event: unknown, context: Context) =>
      routed(event as Parameters<typeof routed>[0], context) as Promise<APIGatewayProxyResult>;
    const health = await lambda(restEvent('GET', '/health'), {} as Context);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toStrictEqual({ status: 'ok' });

    const token = await signLocalToken(TEST_KEY, { user: 'u', org: 'acme', role: 'viewer' });
    const me = await lambda(
      restEvent('GET', '/me', { Authorization: `Bearer ${token}` }) as never,
      {} as Context,
    );
    expect(JSON.parse(me.body)).toStrictEqual({ user: 'u', org: 'acme', role: 'viewer' });
    const denied = await lambda(restEvent('GET', '/me'), {} as Context);
    expect(denied.statusCode).toBe(401);
  });

  it('refuses to start without its deployment settings', async () => {
    const logger = { info: () => undefined, error: () => undefined };
    const base = { ETL_METADATA_TABLE: 't', ETL_STAGING_BUCKET: 'b' };
    await expect(cloudApiDeps(logger, base)).rejects.toThrow(/ETL_FUNCTION_ARNS/);
    await expect(cloudApiDeps(logger, { ...base, ETL_FUNCTION_ARNS: '[1]' })).rejects.toThrow(/JSON object/);
    await expect(cloudApiDeps(logger, { ...base, ETL_FUNCTION_ARNS: '{}' })).rejects.toThrow(
      /ETL_PIPELINE_ROLE_ARN/,
    );
    const deps = await cloudApiDeps(logger, {
      ...base,
      ETL_FUNCTION_ARNS: '{}',
      ETL_PIPELINE_ROLE_ARN: 'arn:aws:iam::123456789012:role/pipelines',
      ETL_ACCOUNT_ID: '123456789012',
      ETL_COGNITO_USER_POOL_ID: 'eu-west-1_abc',
      ETL_COGNITO_CLIENT_ID: 'client',
    });
    expect(deps.preview).toBeUndefined();
    expect(deps.basePath).toBe('');
  });
});
