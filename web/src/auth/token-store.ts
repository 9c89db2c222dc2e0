/** Keeps the API token for this browser tab only (sessionStorage), never in localStorage or the URL. */
const KEY = 'etl.token';

export function readToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
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
