/**
 * Who is calling: a user of one organization with one role. The
 * organization comes from the verified token only, never from a request.
 */

export const ROLES = ['admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The token's subject. */
  readonly user: string;
  /** The tenant every read and write of the request is scoped to. */
  readonly org: string;
  readonly role: Role;
}

/** Organization ids become key parts (`ORG#<org>`): letters, digits, `_` and `-` only. */
export const ORGANIZATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const RANK: Readonly<Record<Role, number>> = { viewer: 0, developer: 1, admin: 2 };

/** Whether `role` has at least the rights of `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The token is missing, malformed, expired, or carries no usable identity: answered 401. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** Checks the claims every verifier maps to, so a token never yields a half-formed principal. */
export function principalFromClaims(user: unknown, org: unknown, role: unknown): Principal {
  if (typeof user !== 'string' || user === '') throw new AuthenticationError('the token has no subject');
  if (typeof org !== 'string' || !ORGANIZATION_PATTERN.test(org))
    throw new AuthenticationError('the token has no valid organization');
  if (!isRole(role)) throw new AuthenticationError(`the token's role must be one of ${ROLES.join(', ')}`);
  return { user, org, role };
}

export interface TokenVerifier {
  /** The principal of a valid token; `AuthenticationError` otherwise. */
  verify(token: string): Promise<Principal>;
}
