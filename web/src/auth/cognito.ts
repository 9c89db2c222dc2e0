/** Cognito hosted UI sign-in with the authorization code flow and PKCE (a public client, no secret). */
import type { CognitoConfig } from '../api/config.ts';

const VERIFIER_KEY = 'etl.pkce.verifier';

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function redirectUri(config: CognitoConfig): string {
  return config.redirectUri ?? `${window.location.origin}${window.location.pathname}`;
}

export async function startCognitoSignIn(config: CognitoConfig): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(config),
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    code_challenge_method: 'S256',
    code_challenge: challenge,
  });
  window.location.assign(`${config.domain}/oauth2/authorize?${params.toString()}`);
}

interface TokenResponse {
  readonly id_token?: string;
  readonly access_token?: string;
}

/** Finishes the redirect back from the hosted UI; returns the ID token (it carries the org and role claims). */
export async function completeCognitoSignIn(config: CognitoConfig): Promise<string | undefined> {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  if (!code || !verifier) return undefined;
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(config),
      code_verifier: verifier,
    }),
  });
  sessionStorage.removeItem(VERIFIER_KEY);
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  window.history.replaceState(null, '', url.toString());
  if (!response.ok)
    throw new Error(`Cognito sign-in failed: the token endpoint answered HTTP ${response.status}`);
  const tokens = (await response.json()) as TokenResponse;
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new Error('Cognito sign-in failed: no token in the token endpoint response');
  return token;
}
