/** Picks the secret store from the environment, once per process: local file store when the local runtime set its folder. */
import { AwsSecretStore } from './aws-secret-store.ts';
import { LocalSecretStore } from './local-secret-store.ts';
import { LOCAL_SECRET_KEY_ENV, LOCAL_SECRETS_DIR_ENV, type SecretStore } from './secret-store.ts';

type EnvSource = Readonly<Record<string, string | undefined>>;

let cached: { key: string; store: SecretStore } | undefined;

export function secretStoreFromEnv(env: EnvSource = process.env): SecretStore {
  const dir = env[LOCAL_SECRETS_DIR_ENV];
  const key = env[LOCAL_SECRET_KEY_ENV];
  const cacheKey = JSON.stringify([dir, key]);
  if (cached?.key !== cacheKey) {
    const store =
      dir === undefined || dir === ''
        ? new AwsSecretStore()
        : new LocalSecretStore({ dir, ...(key ? { key } : {}) });
    cached = { key: cacheKey, store };
  }
  return cached.store;
}
