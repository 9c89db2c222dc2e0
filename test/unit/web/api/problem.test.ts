import { describe, expect, it } from 'vitest';
import { ApiError, parseProblem } from '../../../../web/src/api/problem.ts';

describe('parseProblem', () => {
  it('keeps the RFC 9457 fields and the pointer-addressed errors', () => {
    const problem = parseProblem(
      JSON.stringify({
        type: 'https://etl.dev/problems/validation',
        title: 'Invalid pipeline',
        status: 422,
        detail: 'the pipeline has 1 problem',
        errors: [{ pointer: '/nodes/1/config/expression', message: 'Required', code: 'config' }],
      }),
    );

    expect(problem).toStrictEqual({
      type: 'https://etl.dev/problems/validation',
      title: 'Invalid pipeline',
      status: 422,
      detail: 'the pipeline has 1 problem',
      errors: [{ pointer: '/nodes/1/config/expression', message: 'Required', code: 'config' }],
    });
  });

  it('turns a non-JSON body (a proxy error page) into a detail', () => {
    expect(parseProblem('<html>Bad gateway</html>')).toStrictEqual({ detail: '<html>Bad gateway</html>' });
    expect(parseProblem('')).toStrictEqual({});
  });
});

describe('ApiError', () => {
  it('names the call, the status, the title and the detail in its message', () => {
    const error = new ApiError(
      409,
      { title: 'Conflict', detail: 'version 3 is not the latest' },
      'PUT',
      '/pipelines/p',
    );

    expect(error.message).toBe('PUT /pipelines/p failed (409) Conflict: version 3 is not the latest');
    expect(error.issues).toStrictEqual([]);
  });
});
