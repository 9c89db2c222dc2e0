/** Local tokens: HS256 JWTs signed with the data dir's key (`etl token`), verified by `etl serve`. */
import { errors, jwtVerify, SignJWT } from 'jose';
import { AuthenticationError, type Principal, principalFromClaims, type TokenVerifier } from './principal.ts';

export const LOCAL_ISSUER = 'etl-local';
export const LOCAL_AUDIENCE = 'etl-api';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;

export async function signLocalToken(
  key: Uint8Array,
  principal: Principal,
  ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
): Promise<string> {
  // Checked here too, so `etl token` never prints a token the API would refuse.
  principalFromClaims(principal.user, principal.org, principal.role);
  return new SignJWT({ org: principal.org, role: principal.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.user)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

export class LocalTokenVerifier implements TokenVerifier {
  constructor(private readonly key: Uint8Array) {}

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
      });
      return principalFromClaims(payload.sub, payload.org, payload.role);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('the token has expired');
      throw new AuthenticationError('the token is not valid');
    }
  }
}
