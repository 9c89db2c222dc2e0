import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { CognitoTokenVerifier, roleFromGroups } from '../../../../shared/auth/cognito-tokens.ts';
import { tokenVerifierFromEnv } from '../../../../shared/auth/from-env.ts';
import { LocalTokenVerifier } from '../../../../shared/auth/local-tokens.ts';

const USER_POOL = 'eu-west-1_TestPool1';
const CLIENT = 'console-client';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL}`;

async function poolWithKey() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const verifier = new CognitoTokenVerifier({
    userPoolId: USER_POOL,
    clientId: CLIENT,
    jwks: { keys: [jwk] },
  });
  const sign = (claims: Record<string, unknown>, tokenUse = 'id') =>
    new SignJWT({ token_use: tokenUse, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience(CLIENT)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  return { verifier, sign };
}

describe('Cognito tokens', () => {
  it('take the organization from custom:organization and the highest group as role', async () => {
    const { verifier, sign } = await poolWithKey();
    const token = await sign({ 'custom:organization': 'acme', 'cognito:groups': ['Viewer', 'Developer'] });
    await expect(verifier.verify(token)).resolves.toStrictEqual({
      user: 'user-1',
      org: 'acme',
      role: 'developer',
    });
  });

  it('refuse access tokens, tokens without a role group, and tokens of another pool key', async () => {
    const { verifier, sign } = await poolWithKey();
    await expect(
      verifier.verify(await sign({ 'custom:organization': 'acme', 'cognito:groups': ['Admin'] }, 'access')),
    ).rejects.toThrow(/not a valid token/);
    await expect(
      verifier.verify(await sign({ 'custom:organization': 'acme', 'cognito:groups': [] })),
    ).rejects.toThrow(/role/);
    const other = await poolWithKey();
    await expect(
      verifier.verify(await other.sign({ 'custom:organization': 'acme', 'cognito:groups': ['Admin'] })),
    ).rejects.toThrow(/not a valid token/);
  });

  it('maps groups to roles, highest first', () => {
    expect(roleFromGroups(['Viewer', 'Admin'])).toBe('admin');
    expect(roleFromGroups(['Other'])).toBeUndefined();
    expect(roleFromGroups(undefined)).toBeUndefined();
  });
});

describe('the verifier of a deployment', () => {
  it('is Cognito when a user pool is configured, local otherwise', async () => {
    const cognito = await tokenVerifierFromEnv({
      ETL_COGNITO_USER_POOL_ID: USER_POOL,
      ETL_COGNITO_CLIENT_ID: CLIENT,
    });
    expect(cognito).toBeInstanceOf(CognitoTokenVerifier);
    await expect(tokenVerifierFromEnv({ ETL_AUTH: 'cognito' })).rejects.toThrow(/ETL_COGNITO_USER_POOL_ID/);
    await expect(tokenVerifierFromEnv({ ETL_AUTH: 'magic' })).rejects.toThrow(/cognito or local/);
    const dataDir = await mkdtemp(join(tmpdir(), 'etl-auth-'));
    try {
      expect(await tokenVerifierFromEnv({}, dataDir)).toBeInstanceOf(LocalTokenVerifier);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
