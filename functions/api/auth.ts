/** Authentication (bearer token -> principal) and authorization (the route's access in ROUTE_ACCESS). */
import type { MiddlewareHandler } from 'hono';
import { AuthenticationError, roleAtLeast, type TokenVerifier } from '../../shared/auth/principal.ts';
import type { ApiEnv } from './context.ts';
import { ApiProblem } from './problem.ts';
import type { Access } from './rbac.ts';

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

export function authorize(verifier: TokenVerifier, access: Access): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (access === 'public') return next();
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ApiProblem(401, 'unauthorized', 'send Authorization: Bearer <token>');
    }
    let principal: Awaited<ReturnType<TokenVerifier['verify']>>;
    try {
      principal = await verifier.verify(match[1]);
    } catch (error) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      const detail = error instanceof AuthenticationError ? error.message : 'the token is not valid';
      throw new ApiProblem(401, 'unauthorized', detail);
    }
    if (!roleAtLeast(principal.role, access)) {
      throw new ApiProblem(
        403,
        'forbidden',
        `this needs the ${access} role; the token has ${principal.role}`,
      );
    }
    c.set('principal', principal);
    return next();
  };
}
