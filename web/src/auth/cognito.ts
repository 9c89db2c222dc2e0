/**
 * Cognito hosted UI sign-in with the authorization code flow and PKCE (a
 * public client, no secret): `/oauth2/authorize` out, the code back to the
 * console's URL, exchanged at `/oauth2/token`; `/logout` ends the hosted
 * session too, so "Sign in" asks again.
 */
import type { CognitoConfig } from '../api/config.ts';
import { challengeOf, createState, createVerifier } from './pkce.ts';

/** The request under way in this tab: its verifier and state, until the redirect comes back. */
const PENDING_KEY = 'etl.cognito.pending';
const DEFAULT_SCOPES = ['openid', 'email', 'profile'] as const;
/** Parameters the hosted UI adds to the console's URL; none may stay in the address bar. */
const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description'] as const;

/** Sign-in could not finish: the console shows the message on the sign-in page. */
export class CognitoSignInError extends Error {
  override readonly name = 'CognitoSignInError';
}

interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
}

/** Where the hosted UI sends the browser back: config.json's, else the console's own URL. */
export function redirectUriOf(
  config: CognitoConfig,
  location: Pick<Location, 'origin' | 'pathname'>,
): string {
  return config.redirectUri ?? `${location.origin}${location.pathname}`;
}

export function authorizeUrl(
  config: CognitoConfig,
  request: { readonly redirectUri: string; readonly challenge: string; readonly state: string },
): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: request.redirectUri,
    scope: (config.scopes ?? DEFAULT_SCOPES).join(' '),
    state: request.state,
    code_challenge_method: 'S256',
    code_challenge: request.challenge,
  });
  return `${config.domain}/oauth2/authorize?${params.toString()}`;
}

/** Cognito's logout takes the client and one of its sign-out URLs, not the OIDC `post_logout_redirect_uri`. */
export function logoutUrl(config: CognitoConfig, redirectUri: string): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri });
  return `${config.domain}/logout?${params.toString()}`;
}

export async function startCognitoSignIn(config: CognitoConfig): Promise<void> {
  const pending: PendingSignIn = { verifier: createVerifier(), state: createState() };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = await challengeOf(pending.verifier);
  window.location.assign(
    authorizeUrl(config, {
      redirectUri: redirectUriOf(config, window.location),
      challenge,
      state: pending.state,
    }),
  );
}

/** Signs out of the hosted UI as well, back to the console's sign-in page. */
export function signOutOfCognito(config: CognitoConfig): void {
  window.location.assign(logoutUrl(config, redirectUriOf(config, window.location)));
}

function takePendingSignIn(): PendingSignIn | undefined {
  const text = sessionStorage.getItem(PENDING_KEY);
  // One use only: a replayed callback finds nothing to match.
  sessionStorage.removeItem(PENDING_KEY);
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { verifier, state } = value as Record<string, unknown>;
    return typeof verifier === 'string' && typeof state === 'string' ? { verifier, state } : undefined;
  } catch {
    return undefined;
  }
}

function tokenOf(body: unknown): string {
  const token =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).id_token : undefined;
  // The ID token: it carries the organization and the groups the API reads the role from.
  if (typeof token !== 'string' || token === '') {
    throw new CognitoSignInError('Cognito sign-in failed: the token endpoint answered without an ID token');
  }
  return token;
}

async function exchangeCode(
  config: CognitoConfig,
  code: string,
  pending: PendingSignIn,
  redirectUri: string,
): Promise<string> {
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    throw new CognitoSignInError(
      `Cognito sign-in failed: the token endpoint answered HTTP ${response.status}; sign in again`,
    );
  }
  return tokenOf(await response.json());
}

/**
 * Finishes the redirect back from the hosted UI and returns the ID token,
 * or undefined when the URL is no sign-in answer. The answer's parameters
 * leave the address bar first, so a reload never replays them.
 */
export async function completeCognitoSignIn(config: CognitoConfig): Promise<string | undefined> {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  const error = url.searchParams.get('error');
  const description = url.searchParams.get('error_description');
  if (code === null && error === null) return undefined;
  for (const param of CALLBACK_PARAMS) url.searchParams.delete(param);
  window.history.replaceState(null, '', url.toString());
  const pending = takePendingSignIn();
  if (error !== null || code === null) {
    throw new CognitoSignInError(`Cognito sign-in failed: ${description ?? error ?? 'no code'}`);
  }
  if (pending === undefined) {
    throw new CognitoSignInError(
      'Cognito sign-in failed: this tab did not start it (or already finished it); sign in again',
    );
  }
  if (state !== pending.state) {
    throw new CognitoSignInError(
      'Cognito sign-in failed: the answer does not match the request this tab made; sign in again',
    );
  }
  return exchangeCode(config, code, pending, redirectUriOf(config, url));
}
