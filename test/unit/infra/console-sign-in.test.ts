/**
 * The console's sign-in as the stack wires it: the hosted UI domain, the
 * console's app client (code + PKCE back to the CloudFront URL), the
 * runtime config.json that tells the console both, and the API authorizer
 * and router accepting that client's ID tokens.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDomainPrefix } from '../../../infra/constructs/user-directory.ts';
import type { EtlPlatformStack } from '../../../infra/stacks/platform-stack.ts';
import { logicalIdOf, platformTemplate } from './synth.ts';

/** A whole-app synthesis takes seconds alone, far longer on a busy machine. */
const SYNTH_TIMEOUT_MS = 180_000;

let stack: EtlPlatformStack;
let template: Template;

async function consoleBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'etl-console-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ETL</title>');
  return dir;
}

beforeAll(async () => {
  ({ stack, template } = await platformTemplate({ 'etl:consoleDir': await consoleBuild() }));
}, SYNTH_TIMEOUT_MS);

/** `https://<CloudFront domain>/`, as CloudFormation renders it. */
function consoleUrl() {
  return {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] }, '/'],
    ],
  };
}

describe('console sign-in', () => {
  it('gives the user pool a Cognito prefix domain named after the stack and the account', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: { Ref: logicalIdOf(stack.users.userPool) },
      Domain: { 'Fn::Join': ['-', ['etlplatform', { Ref: 'AWS::AccountId' }]] },
    });
  });

  it(
    'takes the domain prefix from etl:cognitoDomainPrefix',
    async () => {
      const { template: custom } = await platformTemplate({ 'etl:cognitoDomainPrefix': 'acme-etl' });

      custom.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-etl' });
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'fails on a domain prefix Cognito would refuse, naming the rule',
    async () => {
      await expect(platformTemplate({ 'etl:cognitoDomainPrefix': 'My-AWS-login' })).rejects.toThrow(
        /Cognito domain prefix "My-AWS-login" must be 1-63 lower-case letters/,
      );
    },
    SYNTH_TIMEOUT_MS,
  );

  it('keeps only what a prefix allows of the stack name', () => {
    const resolved = new Stack().resolve(defaultDomainPrefix('Amazon_ETL-Cognito-Prod'));

    expect(resolved).toStrictEqual({ 'Fn::Join': ['-', ['etl-prod', { Ref: 'AWS::AccountId' }]] });
  });

  it('has a console client with the code grant only, no secret, back to the CloudFront URL', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: logicalIdOf(stack.users.userPool) },
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [consoleUrl()],
      LogoutURLs: [consoleUrl()],
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
    });
  });

  it("deploys config.json with the API's URL and the client's sign-in settings", () => {
    const config = stack.resolve(stack.console.runtimeConfig);

    expect(config).toStrictEqual({
      apiBase: stack.resolve(stack.api.api.url),
      cognito: {
        domain: {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: logicalIdOf(stack.users.domain) },
              '.auth.',
              { Ref: 'AWS::Region' },
              '.amazoncognito.com',
            ],
          ],
        },
        clientId: { Ref: logicalIdOf(stack.users.consoleClient) },
        redirectUri: consoleUrl(),
        scopes: ['openid', 'email', 'profile'],
      },
    });
    // Each deploy-time value is substituted into the file by the deployment.
    const deployment = template.findResources('Custom::CDKBucketDeployment', {
      Properties: { DestinationBucketName: { Ref: logicalIdOf(stack.console.siteBucket) } },
    });
    const [properties] = Object.values(deployment).map(
      (resource) => (resource as { Properties: { SourceMarkers: Record<string, unknown>[] } }).Properties,
    );
    const substituted = Object.values(properties?.SourceMarkers.at(-1) ?? {});
    expect(substituted).toEqual(
      expect.arrayContaining([
        { Ref: logicalIdOf(stack.api.api) },
        { Ref: logicalIdOf(stack.users.consoleClient) },
        { Ref: logicalIdOf(stack.users.domain) },
        { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] },
      ]),
    );
  });

  it('writes the URLs in the form web/src/api/config.ts reads them', () => {
    const cognito = stack.console.runtimeConfig?.cognito;

    // The console joins `/oauth2/authorize` to the domain, and Cognito compares the redirect exactly.
    expect(cognito?.domain).toMatch(/^https:\/\/.+\.amazoncognito\.com$/);
    expect(cognito?.redirectUri).toMatch(/^https:\/\/.+\/$/);
    expect(cognito?.redirectUri).toBe(stack.console.url);
  });

  it("lets the console reach Cognito's token endpoint under its content security policy", () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp(
              'connect-src [^;]*https://\\*\\.amazoncognito\\.com',
            ),
            Override: true,
          },
        }),
      },
    });
  });

  it("has the API's authorizer take ID tokens of the pool, and the router only the console client's", () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf(stack.users.userPool), 'Arn'] }],
    });
    // No scopes on the methods: API Gateway then expects the ID token the console sends.
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
      (resource) => (resource as { Properties: Record<string, unknown> }).Properties,
    );
    for (const method of methods.filter((m) => m.AuthorizationType === 'COGNITO_USER_POOLS')) {
      expect(method.AuthorizationScopes).toBeUndefined();
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ETL_COGNITO_USER_POOL_ID: { Ref: logicalIdOf(stack.users.userPool) },
          ETL_COGNITO_CLIENT_ID: { Ref: logicalIdOf(stack.users.consoleClient) },
        }),
      },
    });
  });

  it('admits the console origin, without a path, to the API', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ETL_API_CORS_ORIGINS: {
            'Fn::Join': [
              '',
              ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] }],
            ],
          },
        }),
      },
    });
  });
});
