/** Turns a node's `connection` name into settings and secret, checking the type its module needs. */
import { ConfigError } from '../errors.ts';
import { connectionSecretName } from '../secrets/secret-store.ts';
import { CONNECTION_SETTINGS, type ConnectionSettings, type ConnectionType } from './connection.ts';
import { type ConnectionDeps, connectionDeps } from './deps.ts';

export interface ResolvedConnection<T extends ConnectionType> {
  readonly name: string;
  readonly type: T;
  readonly settings: ConnectionSettings<T>;
  /** Undefined for a connection added without one (e.g. a trusted local database). */
  readonly secret: string | undefined;
}

export async function resolveConnection<T extends ConnectionType>(
  name: string,
  type: T,
  deps: ConnectionDeps = connectionDeps(),
): Promise<ResolvedConnection<T>> {
  const record = await deps.connections.get(name);
  if (record === undefined) {
    throw new ConfigError(
      `connection "${name}" does not exist (organization ${deps.organization}); add it with \`etl connections add ${name} --type ${type} ...\``,
    );
  }
  if (record.type !== type) {
    throw new ConfigError(`connection "${name}" is a ${record.type} connection; this node needs ${type}`);
  }
  const settings = CONNECTION_SETTINGS[type].safeParse(record.settings);
  if (!settings.success) {
    throw new ConfigError(
      `connection "${name}" has invalid settings: ${settings.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  let secret: string | undefined;
  if (record.hasSecret) {
    secret = await deps.secrets.get(connectionSecretName(deps.organization, name));
    if (secret === undefined) {
      throw new ConfigError(
        `connection "${name}" has no secret in ${deps.secrets.location}; set it again with \`etl connections add ${name}\``,
      );
    }
  }
  return { name, type, settings: settings.data as ConnectionSettings<T>, secret };
}
