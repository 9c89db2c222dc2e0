import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../web/src/api/config.ts';

describe('parseConfig', () => {
  it('reads the API base (without a trailing slash) and the optional Cognito settings', () => {
    expect(
      parseConfig({
        apiBase: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
        cognito: {
          domain: 'https://acme.auth.eu-west-1.amazoncognito.com/',
          clientId: 'client',
          scopes: ['openid', 3],
        },
      }),
    ).toStrictEqual({
      apiBase: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
      cognito: {
        domain: 'https://acme.auth.eu-west-1.amazoncognito.com',
        clientId: 'client',
        scopes: ['openid'],
      },
    });
  });

  it('defaults to the local API under /api', () => {
    expect(parseConfig({})).toStrictEqual({ apiBase: '/api' });
  });

  it('fails on Cognito settings without a client id, naming the file and the fields', () => {
    expect(() => parseConfig({ cognito: { domain: 'https://x' } })).toThrow(
      'config.json: cognito needs string "domain" and "clientId"',
    );
  });
});
