/**
 * Cloud tokens: Cognito ID tokens of the platform's user pool. The
 * organization is the immutable `custom:organization` attribute; the role is
 * the highest of the user's groups (Admin, Developer, Viewer).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  AuthenticationError,
  type Principal,
  principalFromClaims,
  type Role,
  type TokenVerifier,
} from './principal.ts';

const GROUP_ROLES: readonly [string, Role][] = [
  ['Admin', 'admin'],
  ['Developer', 'developer'],
  ['Viewer', 'viewer'],
];

export interface CognitoSettings {
  readonly userPoolId: string;
  readonly clientId: string;
  /** The pool's JWKS, if already known (tests); otherwise fetched and cached on first use. */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
}

export function roleFromGroups(groups: unknown): Role | undefined {
  if (!Array.isArray(groups)) return undefined;
  return GROUP_ROLES.find(([group]) => groups.includes(group))?.[1];
}

export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier;

  constructor(settings: CognitoSettings) {
    this.verifier = CognitoJwtVerifier.create({
      userPoolId: settings.userPoolId,
      clientId: settings.clientId,
      // ID tokens carry custom attributes; access tokens do not.
      tokenUse: 'id',
    });
    if (settings.jwks) this.verifier.cacheJwks(settings.jwks as never);
  }

  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      payload = (await this.verifier.verify(token)) as unknown as Record<string, unknown>;
    } catch {
      throw new AuthenticationError('the token is not a valid token of this user pool');
    }
    return principalFromClaims(
      payload.sub,
      payload['custom:organization'],
      roleFromGroups(payload['cognito:groups']),
    );
  }
}
