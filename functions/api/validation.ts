/** Request validation failures (zod issues, pipeline validation) as problem details with pointers. */
import type { z } from '@hono/zod-openapi';
import { jsonPointer } from '../../shared/spec/json-pointer.ts';
import type { ValidationError } from '../../shared/spec/validate.ts';
import { ApiProblem, type ProblemError } from './problem.ts';

export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  base: readonly (string | number)[] = [],
): ProblemError[] {
  return issues.map((issue) => ({
    pointer: jsonPointer([...base, ...issue.path.map((part) => part as string | number)]),
    message: issue.code === 'unrecognized_keys' ? `unknown field: ${issue.keys.join(', ')}` : issue.message,
    code: issue.code,
  }));
}

const WHERE: Readonly<Record<string, string>> = {
  json: 'body',
  query: 'query parameters',
  param: 'path parameters',
  header: 'headers',
};

/** The default hook of every route: a failed validation is a 400 problem. */
export function validationHook(result: { success: boolean; target: string; error?: unknown }): undefined {
  if (!result.success) rejectRequest(result);
  return undefined;
}

export function rejectRequest(result: { target: string; error?: unknown }): never {
  const issues = (result.error as z.ZodError).issues;
  throw new ApiProblem(
    400,
    'validation',
    `the request's ${WHERE[result.target] ?? result.target} are not valid`.replace('body are', 'body is'),
    issuesToErrors(issues),
  );
}

/** Pipeline validation errors, their pointers moved under `base` (e.g. `/pipeline` in a PUT body). */
export function pipelineErrors(errors: readonly ValidationError[], base = ''): ProblemError[] {
  return errors.map((error) => ({
    pointer: `${base}${error.pointer}`,
    message: error.message,
    code: error.code,
  }));
}

export function invalidPipeline(errors: readonly ValidationError[], base = ''): ApiProblem {
  const count = errors.length;
  return new ApiProblem(
    422,
    'validation',
    `the pipeline has ${count} problem${count === 1 ? '' : 's'}`,
    pipelineErrors(errors, base),
  );
}
