/** The local secret store: the encrypted file, read through a Powertools provider so caching matches the cloud. */
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { EtlError } from '../errors.ts';
import { LocalSecretFile, type LocalSecretFileOptions } from './local-secret-file.ts';
import { SECRET_DEFAULTS, type SecretStore } from './secret-store.ts';

class LocalSecretsProvider extends BaseProvider {
  constructor(private readonly file: LocalSecretFile) {
    super({});
  }

  protected override _get(name: string): Promise<string | undefined> {
    return this.file.read(name);
  }

  protected override _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error('the local secret store reads one secret at a time'));
  }
}

/** Powertools wraps provider failures in GetParameterError: hand back our own typed error. */
function unwrapProviderError(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof EtlError ? cause : error;
}

export class LocalSecretStore implements SecretStore {
  private readonly file: LocalSecretFile;
  private readonly provider: LocalSecretsProvider;

  constructor(options: LocalSecretFileOptions) {
    this.file = new LocalSecretFile(options);
    this.provider = new LocalSecretsProvider(this.file);
  }

  get location(): string {
    return this.file.location;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const value = await this.provider.get(name, { maxAge: SECRET_DEFAULTS.maxAgeSeconds });
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      throw unwrapProviderError(error);
    }
  }

  async put(name: string, value: string): Promise<void> {
    await this.file.write(name, value);
    this.provider.clearCache();
  }

  async delete(name: string): Promise<void> {
    await this.file.remove(name);
    this.provider.clearCache();
  }
}
