/**
 * Slack-style webhook notifications: a JSON POST with `text`, carrying an
 * `Idempotency-Key: <runId>:<event>` header so a receiver that keeps keys
 * can drop a repeat. The target names an `http` connection:
 * - its secret is the webhook URL (Slack, Teams, Mattermost put the token
 *   in the URL itself), or
 * - its `base_url` is the URL and the secret authenticates as `auth` says.
 * Neither the URL nor the secret appears in an error message.
 */
import { httpCredentials } from '../../functions/connectors/http-common/connection-auth.ts';
import { type HttpClientOptions, sendRequest } from '../../functions/connectors/http-common/http-client.ts';
import type { ResolvedConnection } from '../connections/resolve.ts';
import { ConfigError, type EtlError, TerminalError, TransientError } from '../errors.ts';
import { redactSecret } from '../secrets/redact.ts';
import type { RunNotification } from './message.ts';

export const WEBHOOK_DEFAULTS = { timeoutSeconds: 10, maxAttempts: 3 } as const;

export type HttpConnectionResolver = (
  organization: string,
  name: string,
) => Promise<ResolvedConnection<'http'>>;

export interface WebhookTarget {
  readonly url: URL;
  readonly credentialHeaders: Readonly<Record<string, string>>;
  /** What must never leave in a message: the secret, and the URL's path when the URL is the secret. */
  readonly hidden: readonly string[];
}

function isUrl(value: string | undefined): value is string {
  return value !== undefined && /^https?:\/\//i.test(value);
}

export function webhookTarget(connection: ResolvedConnection<'http'>): WebhookTarget {
  const { secret, settings } = connection;
  if (isUrl(secret)) {
    let url: URL;
    try {
      url = new URL(secret);
    } catch {
      throw new ConfigError(`connection "${connection.name}": its secret is not a valid webhook URL`);
    }
    return { url, credentialHeaders: {}, hidden: [secret, url.pathname, url.search] };
  }
  const credentials = httpCredentials(connection);
  return {
    url: new URL(settings.base_url),
    credentialHeaders: credentials.headers,
    hidden: secret === undefined ? [] : [secret],
  };
}

/** The same kind of error, with a message that names the connection instead of the URL. */
function hide(error: unknown, connection: string, target: WebhookTarget): EtlError {
  let message = error instanceof Error ? error.message : String(error);
  for (const value of target.hidden) message = redactSecret(message, value.length > 1 ? value : undefined);
  const text = `webhook notification through connection "${connection}" failed: ${message}`;
  return error instanceof TransientError ? new TransientError(text) : new TerminalError(text);
}

export class WebhookSender {
  constructor(
    private readonly resolve: HttpConnectionResolver,
    private readonly options: Partial<Pick<HttpClientOptions, 'transport' | 'lookup' | 'sleep'>> = {},
  ) {}

  async send(organization: string, connectionName: string, message: RunNotification): Promise<void> {
    const connection = await this.resolve(organization, connectionName);
    const target = webhookTarget(connection);
    try {
      await sendRequest(
        {
          url: target.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
          credentialHeaders: target.credentialHeaders,
          body: JSON.stringify({
            text: `*${message.subject}*\n${message.text}`,
            event: message.event,
            status: message.status,
            pipelineId: message.pipelineId,
            runId: message.runId,
          }),
          // Slack answers "ok" in plain text: any 2xx is delivery.
          discardBody: true,
        },
        {
          allowPrivateNetwork: connection.settings.allow_private_network,
          timeoutSeconds: WEBHOOK_DEFAULTS.timeoutSeconds,
          maxAttempts: WEBHOOK_DEFAULTS.maxAttempts,
          ...this.options,
        },
      );
    } catch (error) {
      throw hide(error, connectionName, target);
    }
  }
}
