/**
 * The token verifier of a deployment: Cognito when `ETL_AUTH=cognito` (the
 * API Lambda), else local HS256 tokens signed with the data dir's key.
 */
import { ConfigError } from '../errors.ts';
import { CognitoTokenVerifier } from './cognito-tokens.ts';
import { loadOrCreateLocalKey } from './local-key.ts';
import { LocalTokenVerifier } from './local-tokens.ts';
import type { TokenVerifier } from './principal.ts';

type EnvSource = Readonly<Record<string, string | undefined>>;

export async function tokenVerifierFromEnv(
  env: EnvSource = process.env,
  localDataDir?: string,
): Promise<TokenVerifier> {
  const mode = env.ETL_AUTH ?? (env.ETL_COGNITO_USER_POOL_ID ? 'cognito' : 'local');
  if (mode === 'cognito') {
    const userPoolId = env.ETL_COGNITO_USER_POOL_ID;
    const clientId = env.ETL_COGNITO_CLIENT_ID;
    if (!userPoolId || !clientId) {
      throw new ConfigError('ETL_AUTH=cognito needs ETL_COGNITO_USER_POOL_ID and ETL_COGNITO_CLIENT_ID');
    }
    return new CognitoTokenVerifier({ userPoolId, clientId });
  }
  if (mode !== 'local') throw new ConfigError(`ETL_AUTH must be cognito or local, not ${mode}`);
  const dataDir = localDataDir ?? env.ETL_DATA_DIR;
  if (!dataDir) throw new ConfigError('local tokens need a data dir (ETL_DATA_DIR) holding the signing key');
  return new LocalTokenVerifier(await loadOrCreateLocalKey(dataDir));
}
