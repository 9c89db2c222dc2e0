/**
 * Posting batches to a webhook: the URL and credentials come from the node's
 * `http` connection, every request passes the SSRF guard (http-common), and
 * 429, 5xx and network errors are retried honouring Retry-After.
 */
import { ConfigError } from '../../../shared/errors.ts';
import { resolveHttpConnection } from '../http-common/connection-auth.ts';
import { describeUrl } from '../http-common/errors.ts';
import { type HttpClientOptions, sendRequest } from '../http-common/http-client.ts';
import type { WebhookConfig } from './config.ts';

export interface WebhookClient {
  /** `https://host/path`, never a query string, for messages. */
  readonly target: string;
  post(body: string, idempotencyKey: string): Promise<void>;
}

export type WebhookClientDeps = Pick<HttpClientOptions, 'transport' | 'lookup' | 'sleep' | 'backoffBaseMs'>;

/** The path is resolved against the base URL; a path reaching another origin would carry the credentials there. */
function webhookUrl(config: WebhookConfig, baseUrl: string): URL {
  const base = new URL(baseUrl);
  const url = new URL(config.path, base);
  if (url.origin !== base.origin) {
    throw new ConfigError(
      `path ${JSON.stringify(config.path)} leaves the origin of connection "${config.connection}" (${base.origin}); give a path on that host`,
    );
  }
  return url;
}

export async function openWebhook(
  config: WebhookConfig,
  deps: WebhookClientDeps = {},
): Promise<WebhookClient> {
  const connection = await resolveHttpConnection(config.connection);
  const url = webhookUrl(config, connection.settings.base_url);
  const options: HttpClientOptions = {
    ...deps,
    allowPrivateNetwork: connection.settings.allow_private_network,
    timeoutSeconds: config.timeout_seconds,
    maxAttempts: config.max_attempts,
    secret: connection.credentials.secret,
  };
  return {
    target: describeUrl(url),
    async post(body, idempotencyKey) {
      await sendRequest(
        {
          url,
          method: 'POST',
          headers: {
            accept: 'application/json, */*;q=0.5',
            'content-type': 'application/json',
            ...config.headers,
            'idempotency-key': idempotencyKey,
          },
          credentialHeaders: connection.credentials.headers,
          body,
          discardBody: true,
        },
        options,
      );
    },
  };
}
