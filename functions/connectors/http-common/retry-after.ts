/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */

/** Milliseconds to wait, or undefined when the header is absent or unreadable. Past dates give 0. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the date forms: Date.parse would also accept things like "5 minutes" loosely.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
