// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearToken,
  isTokenExpired,
  readToken,
  saveToken,
  tokenExpiry,
} from '../../../../web/src/auth/token-store.ts';

/** An unsigned JWT with these claims: the store reads `exp`, never the signature. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

const NOW = new Date('2026-11-26T04:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

beforeEach(() => {
  sessionStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('tokenExpiry', () => {
  it('reads the exp claim of a JWT', () => {
    expect(tokenExpiry(jwt({ sub: 'alice', exp: seconds(NOW) }))).toStrictEqual(NOW);
  });

  it('knows nothing of tokens that are no JWT or carry no exp', () => {
    expect(tokenExpiry('tok-dev')).toBeUndefined();
    expect(tokenExpiry(jwt({ sub: 'alice' }))).toBeUndefined();
    expect(tokenExpiry('a.%%%.c')).toBeUndefined();
  });
});

describe('isTokenExpired', () => {
  it('treats a token within 30 seconds of its end as expired', () => {
    const token = jwt({ exp: seconds(NOW) + 20 });

    expect(isTokenExpired(token, NOW)).toBe(true);
    expect(isTokenExpired(jwt({ exp: seconds(NOW) + 3600 }), NOW)).toBe(false);
  });

  it('leaves a token without an expiry to the API', () => {
    expect(isTokenExpired('tok-dev', NOW)).toBe(false);
  });
});

describe('readToken', () => {
  it('returns the saved token, trimmed, while it is valid', () => {
    vi.useFakeTimers({ now: NOW });
    const token = jwt({ exp: seconds(NOW) + 3600 });

    saveToken(` ${token}\n`);

    expect(readToken()).toBe(token);
  });

  it('forgets an expired token so the sign-in page comes back', () => {
    vi.useFakeTimers({ now: NOW });
    saveToken(jwt({ exp: seconds(NOW) - 1 }));

    expect(readToken()).toBeUndefined();
    expect(sessionStorage.getItem('etl.token')).toBeNull();
  });

  it('returns nothing after clearToken', () => {
    saveToken('tok-dev');

    clearToken();

    expect(readToken()).toBeUndefined();
  });
});
