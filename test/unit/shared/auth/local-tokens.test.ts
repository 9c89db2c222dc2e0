import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKeyError, loadOrCreateLocalKey, localKeyPath } from '../../../../shared/auth/local-key.ts';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  LocalTokenVerifier,
  signLocalToken,
} from '../../../../shared/auth/local-tokens.ts';
import { AuthenticationError } from '../../../../shared/auth/principal.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etl-auth-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the local signing key', () => {
  it('is created once, owner-only, and read back the same', async () => {
    const dataDir = join(dir, 'data');
    const [first, second] = await Promise.all([loadOrCreateLocalKey(dataDir), loadOrCreateLocalKey(dataDir)]);
    expect(first).toHaveLength(32);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect((await stat(localKeyPath(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('is refused when other users can read it', async () => {
    const dataDir = join(dir, 'open');
    await loadOrCreateLocalKey(dataDir);
    await writeFile(localKeyPath(dataDir), `${Buffer.alloc(32, 1).toString('base64url')}\n`, { mode: 0o644 });
    await chmod(localKeyPath(dataDir), 0o644);
    await expect(loadOrCreateLocalKey(dataDir)).rejects.toThrow(LocalKeyError);
  });
});

describe('local tokens', () => {
  const key = new Uint8Array(32).fill(9);
  const verifier = new LocalTokenVerifier(key);

  it('carry the user, organization and role', async () => {
    const token = await signLocalToken(key, { user: 'alice', org: 'acme', role: 'developer' });
    await expect(verifier.verify(token)).resolves.toStrictEqual({
      user: 'alice',
      org: 'acme',
      role: 'developer',
    });
  });

  it('are refused when expired, signed with another key, unsigned, or missing claims', async () => {
    const expired = await new SignJWT({ org: 'acme', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    await expect(verifier.verify(expired)).rejects.toThrow(/expired/);

    const foreign = await signLocalToken(new Uint8Array(32).fill(1), {
      user: 'alice',
      org: 'acme',
      role: 'admin',
    });
    await expect(verifier.verify(foreign)).rejects.toThrow(AuthenticationError);

    const unsigned = new UnsecuredJWT({ org: 'acme', role: 'admin' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .encode();
    await expect(verifier.verify(unsigned)).rejects.toThrow(AuthenticationError);

    const superuser = await new SignJWT({ org: 'acme', role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(key);
    await expect(verifier.verify(superuser)).rejects.toThrow(/role/);

    const badOrg = await new SignJWT({ org: 'ORG#x', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(key);
    await expect(verifier.verify(badOrg)).rejects.toThrow(/organization/);
    await expect(verifier.verify('not.a.token')).rejects.toThrow(AuthenticationError);
  });

  it('cannot be minted for an invalid role or organization', async () => {
    await expect(signLocalToken(key, { user: 'a', org: 'a/b', role: 'admin' })).rejects.toThrow(
      AuthenticationError,
    );
  });
});
