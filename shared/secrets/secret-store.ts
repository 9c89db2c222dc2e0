/**
 * Where connection credentials live: AWS Secrets Manager in the cloud, an
 * encrypted file under the data dir locally, behind one interface. Reads go
 * through Powertools Parameters providers, which cache values per process.
 */
export interface SecretStore {
  /** Where values are kept, for messages; never a value. */
  readonly location: string;
  /** The current value, or undefined when there is none. Cached for `SECRET_DEFAULTS.maxAgeSeconds`. */
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
  /** Removes the value; removing a missing one is not an error. */
  delete(name: string): Promise<void>;
}

export const SECRET_DEFAULTS = {
  /** How long a handler reuses a value before reading the store again. */
  maxAgeSeconds: 300,
};

/** Set by the local runtime: the folder of the encrypted file store. Absent in the cloud. */
export const LOCAL_SECRETS_DIR_ENV = 'ETL_SECRETS_DIR';
/** Optional key of the local store: 32 bytes as 64 hex digits or base64. */
export const LOCAL_SECRET_KEY_ENV = 'ETL_SECRET_KEY';

/** One name per connection and tenant, the same in both stores: `etl/<org>/connections/<name>`. */
export function connectionSecretName(organization: string, connection: string): string {
  return `etl/${organization}/connections/${connection}`;
}
