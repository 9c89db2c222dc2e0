/**
 * The HMAC key of a `hash` rule, read from the secret store by name. Like
 * the HTTP connectors' credentials, it is stored under the connection-secret
 * name, and read through the same per-process cached store.
 */
import { connectionDeps } from '../../../shared/connections/deps.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { connectionSecretName } from '../../../shared/secrets/secret-store.ts';
import { MIN_KEY_LENGTH } from './module.ts';

export type MaskKeyReader = (name: string) => Promise<string>;

export const readMaskKey: MaskKeyReader = async (name) => {
  const deps = connectionDeps();
  const key = await deps.secrets.get(connectionSecretName(deps.organization, name));
  if (key === undefined) {
    throw new ConfigError(`mask: secret "${name}" is not set in ${deps.secrets.location}`);
  }
  // Only the length is reported: the key itself never reaches a message.
  if (key.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      `mask: secret "${name}" is ${key.length} characters long; an HMAC key needs at least ${MIN_KEY_LENGTH}`,
    );
  }
  return key;
};
