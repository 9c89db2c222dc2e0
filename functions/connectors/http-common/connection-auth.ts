/**
 * Credentials of an `http` connection (`etl connections add --type http`):
 * the base URL, how the secret is sent, and the SSRF switch come from the
 * connection's settings, the credential from its secret.
 */
import type { HttpSettings } from '../../../shared/connections/connection.ts';
import { type ResolvedConnection, resolveConnection } from '../../../shared/connections/resolve.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { RequestCredentials } from './auth.ts';

export interface HttpConnection {
  readonly name: string;
  readonly settings: HttpSettings;
  readonly credentials: RequestCredentials;
}

/** Builds the headers an http connection's requests carry; a missing secret is a config error, not a 401 later. */
export function httpCredentials(connection: ResolvedConnection<'http'>): RequestCredentials {
  const { settings, secret } = connection;
  if (settings.auth === 'none') return { headers: {}, query: {}, secret: undefined };
  if (secret === undefined || secret === '') {
    throw new ConfigError(
      `connection "${connection.name}" uses ${settings.auth} auth but has no secret; set it with \`etl connections add ${connection.name} --type http ...\``,
    );
  }
  switch (settings.auth) {
    case 'bearer':
      return { headers: { authorization: `Bearer ${secret}` }, query: {}, secret };
    case 'basic':
      return {
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.username ?? ''}:${secret}`).toString('base64')}`,
        },
        query: {},
        secret,
      };
    case 'api_key':
      return { headers: { [settings.api_key_header.toLowerCase()]: secret }, query: {}, secret };
  }
}

/** Looks the connection up (type checked) and builds its credentials. */
export async function resolveHttpConnection(name: string): Promise<HttpConnection> {
  const connection = await resolveConnection(name, 'http');
  return { name, settings: connection.settings, credentials: httpCredentials(connection) };
}
