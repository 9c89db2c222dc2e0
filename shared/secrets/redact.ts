/** Last line of defence: a secret value that reached a message is replaced before the message leaves. */

export const REDACTED = '***';

export function redactSecret(text: string, secret: string | undefined): string {
  // Very short values would blank out ordinary text and are no real secret to hide.
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join(REDACTED);
}
