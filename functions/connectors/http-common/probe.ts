/**
 * `etl connections test` for an `http` connection: one HEAD (then GET, for
 * servers that refuse HEAD) to the base URL through the SSRF guard, with the
 * connection's credentials; no body is read and no retry is made.
 */
import { errorMessage } from '../../../shared/errors.ts';
import { redactSecret } from '../../../shared/secrets/redact.ts';
import type { HttpConnection } from './connection-auth.ts';
import { describeUrl } from './errors.ts';
import { assertUrlAllowed, type HostLookup } from './ssrf.ts';
import { pinnedTransport, type Transport } from './transport.ts';

export interface ProbeResult {
  readonly ok: boolean;
  readonly method: 'HEAD' | 'GET';
  readonly status: number;
  /** A line for the user: the URL (never its query) and what it answered. */
  readonly message: string;
}

export interface ProbeOptions {
  readonly timeoutSeconds: number;
  readonly transport?: Transport;
  readonly lookup?: HostLookup;
}

/** Servers that do not implement HEAD answer one of these; GET is tried then. */
const HEAD_REFUSED = new Set([405, 501]);

export async function probeHttpConnection(
  connection: HttpConnection,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const url = new URL(connection.settings.base_url);
  const [address] = await assertUrlAllowed(url, {
    allowPrivateNetwork: connection.settings.allow_private_network,
    lookup: options.lookup,
  });
  const transport = options.transport ?? pinnedTransport;
  const where = describeUrl(url);
  let method: 'HEAD' | 'GET' = 'HEAD';
  for (;;) {
    let status: number;
    try {
      const response = await transport(
        url,
        {
          method,
          headers: { accept: '*/*', ...connection.credentials.headers },
          signal: AbortSignal.timeout(options.timeoutSeconds * 1000),
        },
        address as string,
      );
      await response.body?.cancel();
      status = response.status;
    } catch (error) {
      const detail = redactSecret(errorMessage(error), connection.credentials.secret);
      return { ok: false, method, status: 0, message: `${method} ${where} failed: ${detail}` };
    }
    if (method === 'HEAD' && HEAD_REFUSED.has(status)) {
      method = 'GET';
      continue;
    }
    const rejected = status === 401 || status === 403 ? ' (the server refused the credentials)' : '';
    return {
      ok: status < 400,
      method,
      status,
      message: `${method} ${where} answered HTTP ${status}${rejected}`,
    };
  }
}
