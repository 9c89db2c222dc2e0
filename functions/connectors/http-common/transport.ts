/**
 * Sends one request to the address the SSRF guard checked. `fetch` would
 * resolve the host again, and a DNS answer that changes between the check and
 * the connection (DNS rebinding) could then reach an internal address; here
 * the socket's lookup returns the checked address. TLS still verifies the
 * certificate against the URL's host name.
 */
import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

export interface TransportRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly signal: AbortSignal;
}

/** Sends `request` to `url`, connecting to `address` (already checked), and answers a WHATWG Response. */
export type Transport = (url: URL, request: TransportRequest, address: string) => Promise<Response>;

function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) {
      const all: LookupAddress[] = [{ address, family }];
      (callback as (error: null, addresses: LookupAddress[]) => void)(null, all);
    } else {
      callback(null, address, family);
    }
  };
}

function toResponse(message: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const status = message.statusCode ?? 500;
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) message.resume();
  const body = empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
  return new Response(body, { status, headers });
}

export const pinnedTransport: Transport = (url, request, address) =>
  new Promise<Response>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      url,
      {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        lookup: pinnedLookup(address),
      },
      (message) => resolve(toResponse(message)),
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
