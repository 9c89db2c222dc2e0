/** RFC 9457 problem details from the API, turned into an Error the UI can show as it is. */
import type { ValidationIssue } from './types.ts';

export interface ProblemDetails {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: readonly ValidationIssue[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
    readonly method: string,
    readonly path: string,
  ) {
    super(describeProblem(status, problem, method, path));
  }

  get issues(): readonly ValidationIssue[] {
    return this.problem.errors ?? [];
  }
}

function describeProblem(status: number, problem: ProblemDetails, method: string, path: string): string {
  const headline = problem.title ?? `HTTP ${status}`;
  const detail = problem.detail ? `: ${problem.detail}` : '';
  return `${method} ${path} failed (${status}) ${headline}${detail}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readIssues(value: unknown): ValidationIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((issue) => ({
    pointer: typeof issue.pointer === 'string' ? issue.pointer : '',
    message: typeof issue.message === 'string' ? issue.message : JSON.stringify(issue),
    ...(typeof issue.code === 'string' ? { code: issue.code } : {}),
  }));
}

/** Reads a problem body defensively: a proxy may answer with HTML or nothing at all. */
export function parseProblem(body: string): ProblemDetails {
  try {
    const value: unknown = JSON.parse(body);
    if (!isRecord(value)) return { detail: body.slice(0, 200) };
    const errors = readIssues(value.errors);
    return {
      ...(typeof value.type === 'string' ? { type: value.type } : {}),
      ...(typeof value.title === 'string' ? { title: value.title } : {}),
      ...(typeof value.status === 'number' ? { status: value.status } : {}),
      ...(typeof value.detail === 'string' ? { detail: value.detail } : {}),
      ...(errors ? { errors } : {}),
    };
  } catch {
    return body.trim() ? { detail: body.trim().slice(0, 200) } : {};
  }
}
