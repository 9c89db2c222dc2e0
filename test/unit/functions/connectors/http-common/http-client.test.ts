import { describe, expect, it, vi } from 'vitest';
import { sendRequest } from '../../../../../functions/connectors/http-common/http-client.ts';
import type { Transport } from '../../../../../functions/connectors/http-common/transport.ts';
import { ConfigError, TransientError } from '../../../../../shared/errors.ts';

const request = { url: new URL('https://api.example.com/items?key=k'), method: 'GET' as const, headers: {} };
const lookup = async () => [{ address: '93.184.216.34', family: 4 }];

function answering(...responses: (() => Response)[]): Transport {
  let call = 0;
  return vi.fn(async () => {
    const next = responses[Math.min(call, responses.length - 1)];
    call++;
    if (next === undefined) throw new Error('no response');
    return next();
  });
}

describe('sendRequest', () => {
  it('connects to the checked address', async () => {
    const transport = answering(() => Response.json([1]));

    await sendRequest(request, {
      allowPrivateNetwork: false,
      timeoutSeconds: 5,
      maxAttempts: 1,
      transport,
      lookup,
    });

    expect(transport).toHaveBeenCalledWith(
      request.url,
      expect.objectContaining({ method: 'GET' }),
      '93.184.216.34',
    );
  });

  it('fails as transient at once when Retry-After asks for longer than the wait limit', async () => {
    const sleep = vi.fn(async () => {});
    const transport = answering(() => new Response('', { status: 429, headers: { 'retry-after': '600' } }));

    const error = await sendRequest(request, {
      allowPrivateNetwork: false,
      timeoutSeconds: 5,
      maxAttempts: 5,
      transport,
      lookup,
      sleep,
      maxRetryDelayMs: 60_000,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/Retry-After 600 s exceeds/);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('retries network errors, then gives up as transient', async () => {
    const transport: Transport = vi.fn(async () => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
    });

    const error = await sendRequest(request, {
      allowPrivateNetwork: false,
      timeoutSeconds: 5,
      maxAttempts: 3,
      transport,
      lookup,
      sleep: async () => {},
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect(transport).toHaveBeenCalledTimes(3);
  });

  it('redacts the secret from error messages and leaves out the query string', async () => {
    const transport = answering(() => new Response('bad key s3cr3t-value-123', { status: 400 }));

    const error = await sendRequest(request, {
      allowPrivateNetwork: false,
      timeoutSeconds: 5,
      maxAttempts: 3,
      transport,
      lookup,
      secret: 's3cr3t-value-123',
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('https://api.example.com/items answered HTTP 400: bad key ***');
    expect(transport).toHaveBeenCalledTimes(1);
  });
});
