/**
 * RFC 9457 problem details: the one error shape of the API, served as
 * `application/problem+json`, with JSON pointers where an error has a place.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

export const PROBLEM_BASE = 'https://etl.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type ProblemKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'internal';

const TITLES: Readonly<Record<ProblemKind, string>> = {
  validation: 'The request is not valid',
  unauthorized: 'Authentication is required',
  forbidden: 'The role of the token does not allow this',
  'not-found': 'Not found',
  conflict: 'Conflict with the current state',
  'payload-too-large': 'The request body is too large',
  'unsupported-media-type': 'Unsupported media type',
  internal: 'Internal error',
};

export interface ProblemError {
  /** RFC 6901 pointer into the request body (or `/<name>` for a query or path parameter). */
  readonly pointer: string;
  readonly message: string;
  readonly code: string;
}

export const ProblemErrorSchema = z
  .object({ pointer: z.string(), message: z.string(), code: z.string() })
  .openapi('ProblemError');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(ProblemErrorSchema).optional(),
  })
  .openapi('Problem');

export type Problem = z.output<typeof ProblemSchema>;

/** Thrown by handlers and middleware; `app.onError` answers it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly kind: ProblemKind,
    detail: string,
    readonly errors?: readonly ProblemError[],
  ) {
    super(detail);
  }

  toJSON(): Problem {
    return {
      type: `${PROBLEM_BASE}${this.kind}`,
      title: TITLES[this.kind],
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: [...this.errors] } : {}),
    };
  }
}

export const notFound = (what: string) => new ApiProblem(404, 'not-found', `${what} does not exist`);
export const conflict = (detail: string) => new ApiProblem(409, 'conflict', detail);
export const invalid = (detail: string, errors?: readonly ProblemError[], status = 400) =>
  new ApiProblem(status, 'validation', detail, errors);

export function problemResponse(c: Context, problem: ApiProblem): Response {
  return c.body(JSON.stringify(problem.toJSON()), problem.status as 400, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}

/** OpenAPI response entries for the problems a route can answer. */
export function problemResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'The request is not valid',
    401: 'No valid token',
    403: 'The role does not allow this',
    404: 'No such resource in the organization',
    409: 'Conflict with the current state',
    413: 'The body is larger than the limit',
    415: 'The body is not JSON',
    422: 'The pipeline is not valid',
    500: 'Internal error',
  };
  return Object.fromEntries(
    [...new Set([...statuses, 500])].sort().map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}
