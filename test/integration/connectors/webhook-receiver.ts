/**
 * A webhook receiver on 127.0.0.1 for the webhook loader's suite: it keeps
 * every request, answers scripted failures first, and drops a repeated
 * Idempotency-Key the way Stripe-style receivers do.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** The answer's body, e.g. one echoing the request (default: "not now"). */
  readonly body?: (request: ReceivedRequest) => string;
}

export interface WebhookReceiver {
  readonly baseUrl: string;
  /** Every request, failed ones included, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Bodies accepted once per idempotency key, in arrival order. */
  readonly accepted: Map<string, string>;
  /** Answers these, in order, before accepting anything again. */
  script(...answers: ScriptedAnswer[]): void;
  /** Once `count` bodies are accepted, fails every request with `status` until `heal()`. */
  breakAfter(count: number, status: number): void;
  heal(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, string>();
  let scripted: ScriptedAnswer[] = [];
  let broken: { count: number; status: number } | undefined;
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const received = { path: request.url ?? '', headers: request.headers, body };
      requests.push(received);
      const answer =
        scripted.shift() ??
        (broken !== undefined && accepted.size >= broken.count ? { status: broken.status } : undefined);
      if (answer !== undefined) {
        response.writeHead(answer.status, answer.headers).end(answer.body?.(received) ?? 'not now');
        return;
      }
      const key = String(request.headers['idempotency-key'] ?? '');
      if (!accepted.has(key)) accepted.set(key, body);
      // Plain text, as many receivers answer: the loader must not need JSON back.
      response.writeHead(202, { 'content-type': 'text/plain' }).end('accepted');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    requests,
    accepted,
    script: (...answers) => {
      scripted.push(...answers);
    },
    breakAfter: (count, status) => {
      broken = { count, status };
    },
    heal: () => {
      broken = undefined;
    },
    reset: () => {
      requests.length = 0;
      accepted.clear();
      scripted = [];
      broken = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
