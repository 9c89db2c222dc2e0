/**
 * Credentials for HTTP requests, read from the secret store. A `rest` or
 * `graphql` node names the secret directly (stored under the connection-secret
 * name, read through the same cached store); the `webhook` loader takes an
 * `http` connection instead (connection-auth.ts).
 */
import { connectionDeps } from '../../../shared/connections/deps.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { connectionSecretName } from '../../../shared/secrets/secret-store.ts';
import type { HttpAuth } from './config.ts';

export interface RequestCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The raw value, only to redact it from messages. */
  readonly secret: string | undefined;
}

export type SecretReader = (name: string) => Promise<string | undefined>;

const defaultSecretReader: SecretReader = async (name) => {
  const deps = connectionDeps();
  const value = await deps.secrets.get(connectionSecretName(deps.organization, name));
  if (value === undefined) {
    throw new ConfigError(`secret "${name}" is not set in ${deps.secrets.location}`);
  }
  return value;
};

export async function resolveCredentials(
  auth: HttpAuth | undefined,
  readSecret: SecretReader = defaultSecretReader,
): Promise<RequestCredentials> {
  if (auth === undefined) return { headers: {}, query: {}, secret: undefined };
  const secret = (await readSecret(auth.secret)) ?? '';
  switch (auth.type) {
    case 'bearer':
      return { headers: { authorization: `Bearer ${secret}` }, query: {}, secret };
    case 'basic':
      return {
        headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${secret}`).toString('base64')}` },
        query: {},
        secret,
      };
    case 'api_key':
      return auth.in === 'header'
        ? { headers: { [auth.name]: secret }, query: {}, secret }
        : { headers: {}, query: { [auth.name]: secret }, secret };
  }
}
