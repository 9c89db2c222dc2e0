import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../web/src/api/config.ts';

describe("config.json's sign-in settings", () => {
  it('reads what the CDK app deploys: domain, client, redirect URI and scopes', () => {
    const config = parseConfig({
      apiBase: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1/',
      cognito: {
        domain: 'https://etlplatform-123456789012.auth.eu-west-1.amazoncognito.com',
        clientId: 'console-client',
        redirectUri: 'https://d111111abcdef8.cloudfront.net/',
        scopes: ['openid', 'email', 'profile'],
      },
    });

    expect(config.cognito).toStrictEqual({
      domain: 'https://etlplatform-123456789012.auth.eu-west-1.amazoncognito.com',
      clientId: 'console-client',
      redirectUri: 'https://d111111abcdef8.cloudfront.net/',
      scopes: ['openid', 'email', 'profile'],
    });
  });

  it('fails on a sign-in domain that is not https', () => {
    expect(() =>
      parseConfig({ cognito: { domain: 'http://acme.auth.eu-west-1.amazoncognito.com', clientId: 'c' } }),
    ).toThrow('config.json: cognito.domain must be an https:// URL');
  });
});
