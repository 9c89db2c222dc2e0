/**
 * A fault proxy on 127.0.0.1 in front of an emulator (s3rver, dynalite):
 * the SDK clients of the handlers talk to it over real sockets, and per
 * request it either forwards, answers with an error the real service sends
 * under load, or drops the connection (before the request reaches the
 * emulator, or after the emulator applied it but before the answer arrives).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyDecision =
  | { readonly kind: 'forward' }
  | { readonly kind: 'answer'; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly kind: 'drop-request' }
  | { readonly kind: 'drop-response' };

export interface FaultCounts {
  requests: number;
  answered: number;
  droppedRequests: number;
  droppedResponses: number;
}

export interface HttpFaultProxy {
  readonly endpoint: string;
  readonly counts: FaultCounts;
  close(): Promise<void>;
}

export async function startHttpFaultProxy(
  upstream: string,
  decide: (request: http.IncomingMessage) => ProxyDecision,
): Promise<HttpFaultProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const counts: FaultCounts = { requests: 0, answered: 0, droppedRequests: 0, droppedResponses: 0 };

  const server = http.createServer((request, response) => {
    counts.requests++;
    const decision = decide(request);
    if (decision.kind === 'drop-request') {
      counts.droppedRequests++;
      request.socket.destroy();
      return;
    }
    if (decision.kind === 'answer') {
      counts.answered++;
      // Read the body first, as a server does, so the client sees an answer, not a reset.
      request.resume();
      request.on('end', () => {
        response.writeHead(decision.status, {
          'content-type': decision.contentType,
          'content-length': Buffer.byteLength(decision.body),
        });
        response.end(decision.body);
      });
      return;
    }
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        // Unchanged, host included: the emulators check the request signature over them.
        headers: request.headers,
        agent,
      },
      (upstreamResponse) => {
        if (decision.kind === 'drop-response') {
          // The emulator has done the work; the client never hears of it.
          counts.droppedResponses++;
          upstreamResponse.resume();
          upstreamResponse.on('end', () => request.socket.destroy());
          return;
        }
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    forwarded.on('error', () => request.socket.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
