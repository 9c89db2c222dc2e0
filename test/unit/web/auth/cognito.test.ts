// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CognitoConfig } from '../../../../web/src/api/config.ts';
import {
  authorizeUrl,
  CognitoSignInError,
  completeCognitoSignIn,
  logoutUrl,
  redirectUriOf,
  startCognitoSignIn,
} from '../../../../web/src/auth/cognito.ts';
import { challengeOf } from '../../../../web/src/auth/pkce.ts';

const CONSOLE = 'https://d111111abcdef8.cloudfront.net/';
const CONFIG: CognitoConfig = {
  domain: 'https://etlplatform-123456789012.auth.eu-west-1.amazoncognito.com',
  clientId: 'console-client',
  redirectUri: CONSOLE,
  scopes: ['openid', 'email', 'profile'],
};

interface TokenCall {
  readonly url: string;
  readonly body: URLSearchParams;
}

/** The token endpoint: answers `answer`, records each form it is sent. */
function stubTokenEndpoint(answer: { status: number; body: unknown }): TokenCall[] {
  const calls: TokenCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push({ url, body: new URLSearchParams(String(init.body)) });
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
  return calls;
}

/** Starts a sign-in as the button does; returns where the browser was sent. */
async function startSignIn(): Promise<URL> {
  const assign = vi.fn<(url: string) => void>();
  vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, assign });
  await startCognitoSignIn(CONFIG);
  vi.restoreAllMocks();
  const [target] = assign.mock.calls[0] ?? [];
  if (target === undefined) throw new Error('sign-in did not navigate');
  return new URL(target);
}

function arriveAt(query: string): void {
  window.history.replaceState(null, '', `/?${query}#/pipelines`);
}

beforeEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('authorizeUrl', () => {
  it('asks the hosted UI for a code with an S256 challenge, the scopes and the state', () => {
    const url = new URL(authorizeUrl(CONFIG, { redirectUri: CONSOLE, challenge: 'ch', state: 'st' }));

    expect(`${url.origin}${url.pathname}`).toBe(`${CONFIG.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toStrictEqual({
      response_type: 'code',
      client_id: 'console-client',
      redirect_uri: CONSOLE,
      scope: 'openid email profile',
      state: 'st',
      code_challenge_method: 'S256',
      code_challenge: 'ch',
    });
  });

  it('asks for openid, email and profile when config.json names no scopes', () => {
    const url = new URL(
      authorizeUrl(
        { domain: CONFIG.domain, clientId: 'c' },
        { redirectUri: CONSOLE, challenge: 'c', state: 's' },
      ),
    );

    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });
});

describe('logoutUrl', () => {
  it("sends the client id and the console's sign-out URL to /logout", () => {
    const url = new URL(logoutUrl(CONFIG, CONSOLE));

    expect(`${url.origin}${url.pathname}`).toBe(`${CONFIG.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toStrictEqual({
      client_id: 'console-client',
      logout_uri: CONSOLE,
    });
  });
});

describe('redirectUriOf', () => {
  it("prefers config.json's redirect URI, which Cognito compares exactly", () => {
    expect(redirectUriOf(CONFIG, { origin: 'https://other.example', pathname: '/x' })).toBe(CONSOLE);
  });

  it("falls back to the console's own origin and path", () => {
    const { redirectUri: _redirectUri, ...config } = CONFIG;

    expect(redirectUriOf(config, { origin: 'https://c.example', pathname: '/console/' })).toBe(
      'https://c.example/console/',
    );
  });
});

describe('startCognitoSignIn', () => {
  it('keeps the verifier in the tab and sends only its challenge', async () => {
    const target = await startSignIn();

    const pending = JSON.parse(sessionStorage.getItem('etl.cognito.pending') ?? '{}') as {
      verifier: string;
      state: string;
    };
    expect(target.searchParams.get('code_challenge')).toBe(await challengeOf(pending.verifier));
    expect(target.searchParams.get('state')).toBe(pending.state);
    expect(target.toString()).not.toContain(pending.verifier);
  });
});

describe('completeCognitoSignIn', () => {
  it('does nothing on a URL that is no sign-in answer', async () => {
    const calls = stubTokenEndpoint({ status: 200, body: {} });
    arriveAt('view=runs');

    expect(await completeCognitoSignIn(CONFIG)).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('exchanges the code with the verifier for the ID token and cleans the address bar', async () => {
    const target = await startSignIn();
    const pending = JSON.parse(sessionStorage.getItem('etl.cognito.pending') ?? '{}') as { verifier: string };
    const calls = stubTokenEndpoint({
      status: 200,
      body: { id_token: 'id.token.jwt', access_token: 'access', expires_in: 3600, token_type: 'Bearer' },
    });
    arriveAt(`code=the-code&state=${target.searchParams.get('state')}`);

    const token = await completeCognitoSignIn(CONFIG);

    expect(token).toBe('id.token.jwt');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${CONFIG.domain}/oauth2/token`);
    expect(Object.fromEntries(calls[0]?.body ?? [])).toStrictEqual({
      grant_type: 'authorization_code',
      client_id: 'console-client',
      code: 'the-code',
      redirect_uri: CONSOLE,
      code_verifier: pending.verifier,
    });
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/pipelines');
    expect(sessionStorage.getItem('etl.cognito.pending')).toBeNull();
  });

  it('refuses an answer whose state is not the one this tab sent', async () => {
    await startSignIn();
    const calls = stubTokenEndpoint({ status: 200, body: { id_token: 'x' } });
    arriveAt('code=the-code&state=forged');

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow(/does not match the request/);
    expect(calls).toHaveLength(0);
    expect(window.location.search).toBe('');
  });

  it('refuses a code this tab never asked for', async () => {
    const calls = stubTokenEndpoint({ status: 200, body: { id_token: 'x' } });
    arriveAt('code=the-code&state=any');

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow(/did not start it/);
    expect(calls).toHaveLength(0);
  });

  it('cannot replay an answer: the pending request is used once', async () => {
    const target = await startSignIn();
    const answer = `code=the-code&state=${target.searchParams.get('state')}`;
    stubTokenEndpoint({ status: 200, body: { id_token: 'id.token.jwt' } });
    arriveAt(answer);
    await completeCognitoSignIn(CONFIG);

    arriveAt(answer);

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow(CognitoSignInError);
  });

  it("reports the hosted UI's error description", async () => {
    await startSignIn();
    arriveAt('error=access_denied&error_description=User+is+disabled.&state=x');

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow('Cognito sign-in failed: User is disabled.');
    expect(window.location.search).toBe('');
  });

  it('fails clearly when the token endpoint refuses the code', async () => {
    const target = await startSignIn();
    stubTokenEndpoint({ status: 400, body: { error: 'invalid_grant' } });
    arriveAt(`code=stale&state=${target.searchParams.get('state')}`);

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow(/answered HTTP 400; sign in again/);
  });

  it('fails clearly when the answer carries no ID token', async () => {
    const target = await startSignIn();
    stubTokenEndpoint({ status: 200, body: { access_token: 'access-only' } });
    arriveAt(`code=c&state=${target.searchParams.get('state')}`);

    await expect(completeCognitoSignIn(CONFIG)).rejects.toThrow(/without an ID token/);
  });
});
