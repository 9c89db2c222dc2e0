/**
 * HTTP failures mapped onto the platform's split: 429, 5xx and network errors
 * are transient (retried here, then by Step Functions); other 4xx are terminal.
 * Messages name the URL without its query string, where an API key may sit.
 */
import { ConfigError, type EtlError, SourceNotFoundError, TransientError } from '../../../shared/errors.ts';

/** A request refused by the SSRF guard, before any connection was made. */
export class SsrfBlockedError extends ConfigError {
  override readonly name: string = 'SsrfBlockedError';
}

/** `https://host/path`, never the query string or credentials. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function httpStatusError(status: number, url: URL, detail: string): EtlError {
  const where = `${describeUrl(url)} answered HTTP ${status}`;
  const suffix = detail === '' ? '' : `: ${detail.slice(0, 300)}`;
  if (isRetryableStatus(status)) return new TransientError(`${where}${suffix}`);
  if (status === 401 || status === 403) {
    return new ConfigError(`${where} (check the credentials in the auth secret)${suffix}`);
  }
  if (status === 404 || status === 410) return new SourceNotFoundError(`${where}${suffix}`);
  return new ConfigError(`${where}${suffix}`);
}
