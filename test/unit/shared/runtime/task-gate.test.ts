/** The gate of a local execution: nothing starts once closed, and it tells when running tasks have settled. */
import { describe, expect, it } from 'vitest';
import { RunCancelledError, TaskGate } from '../../../../shared/runtime/task-gate.ts';

describe('TaskGate', () => {
  it('refuses tasks after close, and settles only after the tasks already running', async () => {
    const gate = new TaskGate();
    let release: () => void = () => undefined;
    const finished: string[] = [];
    const handlers = gate.guard(
      {
        slow: () =>
          new Promise((resolve) => {
            release = () => {
              finished.push('slow');
              resolve('done');
            };
          }),
        quick: async () => 'quick',
      },
      'run-1',
    );

    const running = handlers.slow?.(null);
    gate.close();
    // Caught at once: the refusal happens before the test awaits it.
    const refused = Promise.resolve(handlers.quick?.(null)).then(
      () => undefined,
      (error: unknown) => error,
    );
    const settled = gate.settled().then(() => finished.push('settled'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();

    const error = await refused;
    expect(error).toBeInstanceOf(RunCancelledError);
    expect((error as Error).message).toBe('run run-1 was cancelled before quick started');
    await expect(running).resolves.toBe('done');
    await settled;
    expect(finished).toStrictEqual(['slow', 'settled']);
  });
});
