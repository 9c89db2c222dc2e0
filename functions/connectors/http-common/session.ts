/**
 * What one chunk's requests share: credentials (sent only to the configured
 * origin, never to a host a next link points elsewhere), headers, limits.
 */

import { ConfigError } from '../../../shared/errors.ts';
import { type RequestCredentials, resolveCredentials, type SecretReader } from './auth.ts';
import type { HttpCommonConfig } from './config.ts';
import { type HttpClientOptions, type HttpRequest, type HttpResponse, sendRequest } from './http-client.ts';

export interface HttpSession {
  send(url: URL, method: 'GET' | 'POST', body?: unknown): Promise<HttpResponse>;
  readonly maxPages: number;
}

export type HttpSessionDeps = Pick<HttpClientOptions, 'transport' | 'lookup' | 'sleep' | 'backoffBaseMs'> & {
  readonly readSecret?: SecretReader;
};

export async function openHttpSession(
  config: HttpCommonConfig,
  deps: HttpSessionDeps = {},
): Promise<HttpSession> {
  const origin = new URL(config.url).origin;
  const credentials: RequestCredentials = await resolveCredentials(config.auth, deps.readSecret);
  const options: HttpClientOptions = {
    ...deps,
    allowPrivateNetwork: config.allow_private_network,
    timeoutSeconds: config.timeout_seconds,
    maxAttempts: config.max_attempts,
    secret: credentials.secret,
  };
  return {
    maxPages: config.max_pages,
    send(url, method, body) {
      const sameOrigin = url.origin === origin;
      const target = new URL(url);
      if (sameOrigin)
        for (const [name, value] of Object.entries(credentials.query)) target.searchParams.set(name, value);
      const request: HttpRequest = {
        url: target,
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...config.headers,
        },
        ...(sameOrigin ? { credentialHeaders: credentials.headers } : {}),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      return sendRequest(request, options);
    },
  };
}

export function tooManyPages(maxPages: number): ConfigError {
  return new ConfigError(
    `more than max_pages (${maxPages}) pages: raise max_pages or check the pagination settings`,
  );
}
