/** Runtime configuration (config.json beside index.html): one bundle for local `etl serve` and the cloud. */
export interface CognitoConfig {
  /** Hosted UI domain, e.g. `https://acme.auth.eu-west-1.amazoncognito.com`. */
  readonly domain: string;
  readonly clientId: string;
  /** Defaults to the console's own URL (origin + path). */
  readonly redirectUri?: string;
  readonly scopes?: readonly string[];
}

export interface ConsoleConfig {
  readonly apiBase: string;
  readonly cognito?: CognitoConfig;
}

const LOCAL_DEFAULT: ConsoleConfig = { apiBase: '/api' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCognito(value: unknown): CognitoConfig | undefined {
  if (!isRecord(value)) return undefined;
  const { domain, clientId, redirectUri, scopes } = value;
  if (typeof domain !== 'string' || typeof clientId !== 'string') {
    throw new Error('config.json: cognito needs string "domain" and "clientId"');
  }
  // The sign-in pages and the token endpoint: a plain-http domain would hand codes to the network.
  if (!domain.startsWith('https://')) {
    throw new Error(`config.json: cognito.domain must be an https:// URL, got "${domain}"`);
  }
  return {
    domain: domain.replace(/\/$/, ''),
    clientId,
    ...(typeof redirectUri === 'string' ? { redirectUri } : {}),
    ...(Array.isArray(scopes) ? { scopes: scopes.filter((s): s is string => typeof s === 'string') } : {}),
  };
}

export function parseConfig(value: unknown): ConsoleConfig {
  if (!isRecord(value)) throw new Error('config.json must be a JSON object');
  const apiBase =
    typeof value.apiBase === 'string' ? value.apiBase.replace(/\/$/, '') : LOCAL_DEFAULT.apiBase;
  const cognito = readCognito(value.cognito);
  return cognito ? { apiBase, cognito } : { apiBase };
}

/** A missing config.json means the local default; a broken one is an error worth showing. */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (response.status === 404) return LOCAL_DEFAULT;
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  return parseConfig(await response.json());
}
