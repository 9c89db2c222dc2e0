/**
 * PKCE (RFC 7636) for the console, a public client with no secret: a random
 * verifier stays in the tab, only its SHA-256 challenge travels to the
 * authorize endpoint, so a stolen authorization code is useless to anyone else.
 */

/** base64url without padding, as RFC 7636 and JWTs spell it. */
export function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** 32 random bytes: 43 characters, the shortest verifier RFC 7636 allows, with 256 bits of entropy. */
export function createVerifier(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The `S256` challenge of a verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The OAuth `state`: ties the answer to this tab's request, so a forged redirect is refused. */
export function createState(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(16)));
}
