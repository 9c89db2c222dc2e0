/**
 * One HTTP request as connectors make it: the SSRF guard before every
 * connection (redirects included, followed by hand), bounded retries on 429,
 * 5xx and network errors honouring Retry-After, a JSON body out.
 */
import { DataError, type EtlError, errorMessage, TransientError } from '../../../shared/errors.ts';
import { redactSecret } from '../../../shared/secrets/redact.ts';
import { HTTP_DEFAULTS } from './config.ts';
import { describeUrl, httpStatusError } from './errors.ts';
import { parseRetryAfter } from './retry-after.ts';
import { assertUrlAllowed, type HostLookup } from './ssrf.ts';
import { pinnedTransport, type Transport } from './transport.ts';

export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Credentials: sent only while the URL keeps the request's origin, never after a redirect elsewhere. */
  readonly credentialHeaders?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The answer's body is not read (a webhook's receiver may answer any text): `body` is null. */
  readonly discardBody?: boolean;
}

export interface HttpResponse {
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface HttpClientOptions {
  readonly allowPrivateNetwork: boolean;
  readonly timeoutSeconds: number;
  readonly maxAttempts: number;
  /** Redacted from every message. */
  readonly secret?: string | undefined;
  readonly backoffBaseMs?: number;
  readonly maxRetryDelayMs?: number;
  /** How a request reaches the checked address (tests wrap it to see whether a connection was attempted). */
  readonly transport?: Transport;
  readonly lookup?: HostLookup;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function backoffMs(attempt: number, base: number, cap: number): number {
  const exponential = base * 2 ** (attempt - 1);
  // Full jitter keeps many chunks from retrying in step.
  return Math.min(cap, exponential / 2 + Math.random() * (exponential / 2));
}

type Attempt = { ok: true; response: HttpResponse } | { ok: false; error: EtlError; retryAfterMs?: number };

/** One attempt, following redirects through the guard. */
async function attemptOnce(request: HttpRequest, options: HttpClientOptions): Promise<Attempt> {
  const transport = options.transport ?? pinnedTransport;
  let url = request.url;
  let method = request.method;
  let body = request.body;
  for (let redirects = 0; ; redirects++) {
    const [address] = await assertUrlAllowed(url, {
      allowPrivateNetwork: options.allowPrivateNetwork,
      lookup: options.lookup,
    });
    let response: Response;
    try {
      response = await transport(
        url,
        {
          method,
          headers:
            url.origin === request.url.origin
              ? { ...request.headers, ...request.credentialHeaders }
              : request.headers,
          body,
          signal: AbortSignal.timeout(options.timeoutSeconds * 1000),
        },
        address as string,
      );
    } catch (error) {
      const cause =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      return { ok: false, error: new TransientError(`request to ${describeUrl(url)} failed: ${cause}`) };
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (redirects >= HTTP_DEFAULTS.max_redirects) {
        return { ok: false, error: httpStatusError(response.status, url, 'too many redirects') };
      }
      url = new URL(location, url);
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).trim();
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return {
        ok: false,
        error: httpStatusError(response.status, url, detail),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    return {
      ok: true,
      response: {
        url,
        status: response.status,
        headers: response.headers,
        body:
          request.discardBody === true
            ? ((await response.body?.cancel().then(() => null)) ?? null)
            : await readBody(response, url),
      },
    };
  }
}

/** The body as JSON; a connection dropped while reading it is transient like any other network error. */
async function readBody(response: Response, url: URL): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new TransientError(`reading the answer of ${describeUrl(url)} failed: ${errorMessage(error)}`);
  }
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DataError(
      `${describeUrl(url)} did not answer JSON (HTTP ${response.status}): ${text.slice(0, 200)}`,
    );
  }
}

function redacted(error: EtlError, secret: string | undefined): EtlError {
  const message = redactSecret(error.message, secret);
  if (message === error.message) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as EtlError;
  Object.assign(copy, error);
  // Writable like any Error's message: node-task prefixes it in place.
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true });
  return copy;
}

/** Sends `request` and returns its JSON body, retrying transient failures up to `maxAttempts`. */
export async function sendRequest(request: HttpRequest, options: HttpClientOptions): Promise<HttpResponse> {
  const sleep = options.sleep ?? defaultSleep;
  const base = options.backoffBaseMs ?? HTTP_DEFAULTS.backoff_base_ms;
  const cap = options.maxRetryDelayMs ?? HTTP_DEFAULTS.max_retry_delay_seconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(request, options).catch((error: unknown) => {
      throw redacted(error as EtlError, options.secret);
    });
    if (result.ok) return result.response;
    const retryable = result.error instanceof TransientError;
    if (!retryable || attempt >= options.maxAttempts) throw redacted(result.error, options.secret);
    const wait = result.retryAfterMs ?? backoffMs(attempt, base, cap);
    if (wait > cap) {
      // The server asks for longer than one Lambda should idle: fail as transient for Step Functions to retry later.
      throw redacted(
        new TransientError(
          `${result.error.message} (Retry-After ${Math.ceil(wait / 1000)} s exceeds the wait limit)`,
        ),
        options.secret,
      );
    }
    await sleep(wait);
  }
}
