import { describe, expect, it } from 'vitest';
import { attemptKey, attemptOfExecution, FIRST_ATTEMPT } from '../../../../shared/executions/run-attempt.ts';

describe('attemptKey', () => {
  it('is the run id for the first attempt and adds the redrive count after', () => {
    expect(attemptKey('01RUN', FIRST_ATTEMPT)).toBe('01RUN');
    expect(attemptKey('01RUN', 1)).toBe('01RUN.1');
    expect(attemptKey('01RUN', 12)).toBe('01RUN.12');
  });
});

describe('attemptOfExecution', () => {
  it("reads Step Functions' RedriveCount", () => {
    expect(attemptOfExecution({ RedriveCount: 2 })).toBe(2);
    expect(attemptOfExecution({ RedriveCount: 0 })).toBe(0);
  });

  it('takes a missing or malformed count for the first attempt', () => {
    expect(attemptOfExecution(undefined)).toBe(FIRST_ATTEMPT);
    expect(attemptOfExecution({})).toBe(FIRST_ATTEMPT);
    expect(attemptOfExecution({ RedriveCount: '1' })).toBe(FIRST_ATTEMPT);
    expect(attemptOfExecution({ RedriveCount: -1 })).toBe(FIRST_ATTEMPT);
    expect(attemptOfExecution({ RedriveCount: 1.5 })).toBe(FIRST_ATTEMPT);
  });
});
