/**
 * Keeps the API token for this browser tab only (sessionStorage), never in
 * localStorage or the URL, and forgets it once it has expired: the sign-in
 * page then comes back at once instead of after a rejected call.
 */
const KEY = 'etl.token';
/** Clocks drift: a token this close to its end is already treated as expired. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * When a JWT stops being valid (its `exp` claim), or undefined for a token
 * that says nothing about it (not a JWT, or no `exp`): the API decides then.
 * The signature is the API's business; this only avoids sending a dead token.
 */
export function tokenExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { exp } = claims as Record<string, unknown>;
    return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

export function isTokenExpired(token: string, now: Date = new Date()): boolean {
  const expiry = tokenExpiry(token);
  return expiry !== undefined && expiry.getTime() - EXPIRY_MARGIN_MS <= now.getTime();
}

export function readToken(): string | undefined {
  const token = sessionStorage.getItem(KEY) ?? undefined;
  if (token !== undefined && isTokenExpired(token)) {
    clearToken();
    return undefined;
  }
  return token;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * Accepts `?token=` once (tests and `etl serve` links), stores it and removes
 * it from the address bar so it doesn't end up in history or screenshots.
 */
export function takeTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  saveToken(token);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.toString());
}
