/** `etl token`: a local API token signed with the data dir's key (what `etl serve` verifies). Prints the token only. */
import { loadOrCreateLocalKey } from '../../auth/local-key.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, signLocalToken } from '../../auth/local-tokens.ts';
import { isRole, ORGANIZATION_PATTERN, ROLES } from '../../auth/principal.ts';
import { ConfigError } from '../../errors.ts';

export interface TokenOptions {
  readonly role: string;
  readonly org: string;
  readonly user?: string;
  readonly ttl?: number;
  readonly dataDir: string;
}

export async function tokenCommand(options: TokenOptions): Promise<void> {
  if (!isRole(options.role)) throw new ConfigError(`--role must be one of ${ROLES.join(', ')}`);
  if (!ORGANIZATION_PATTERN.test(options.org)) {
    throw new ConfigError('--org must be 1-64 letters, digits, _ or - (starting with a letter or digit)');
  }
  const user = options.user ?? `${options.role}@${options.org}`;
  const key = await loadOrCreateLocalKey(options.dataDir);
  const token = await signLocalToken(
    key,
    { user, org: options.org, role: options.role },
    options.ttl ?? DEFAULT_TOKEN_TTL_SECONDS,
  );
  process.stdout.write(`${token}\n`);
}
