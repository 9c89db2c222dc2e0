/** The cloud secret store: AWS Secrets Manager, read through Powertools' cached SecretsProvider. */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { SECRET_DEFAULTS, type SecretStore } from './secret-store.ts';

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
}

export class AwsSecretStore implements SecretStore {
  readonly location = 'AWS Secrets Manager';
  private readonly provider: SecretsProvider;

  constructor(private readonly client: SecretsManagerClient = new SecretsManagerClient({})) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const value = await this.provider.get(name, { maxAge: SECRET_DEFAULTS.maxAgeSeconds });
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      // Powertools wraps the SDK error; classify the SDK's own.
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (errorName(cause) === 'ResourceNotFoundException') return undefined;
      throw classifyAwsError(cause, `reading secret ${name}`);
    }
  }

  async put(name: string, value: string): Promise<void> {
    try {
      await this.client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    } catch (error) {
      if (errorName(error) !== 'ResourceExistsException')
        throw classifyAwsError(error, `writing secret ${name}`);
      await this.client
        .send(new PutSecretValueCommand({ SecretId: name, SecretString: value }))
        .catch((putError: unknown) => {
          throw classifyAwsError(putError, `writing secret ${name}`);
        });
    }
    this.provider.clearCache();
  }

  async delete(name: string): Promise<void> {
    try {
      // Without recovery, so the connection can be added again under the same name at once.
      await this.client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException')
        throw classifyAwsError(error, `removing secret ${name}`);
    }
    this.provider.clearCache();
  }
}
