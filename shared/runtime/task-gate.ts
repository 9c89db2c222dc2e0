/**
 * Lets a local execution end the way one ends in the cloud: after a stop
 * (StopExecution) or the end of the execution, no task starts, and tasks
 * already running finish (a Lambda is not interrupted either). The gate
 * counts those in-flight tasks so the run's final status is written only
 * after the last one settled.
 */
import { TerminalError } from '../errors.ts';
import type { TaskResourceLocalHandlers } from './interpreter-types.ts';

/** What a task started after the stop fails with; the run itself ends `cancelled`. */
export class RunCancelledError extends TerminalError {
  override readonly name = 'RunCancelledError';
}

export class TaskGate {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  close(): void {
    this.closed = true;
  }

  /** Wraps every handler so that it refuses to start once the gate is closed. */
  guard(handlers: TaskResourceLocalHandlers, runId: string): TaskResourceLocalHandlers {
    const guarded: TaskResourceLocalHandlers = {};
    for (const [name, handler] of Object.entries(handlers)) {
      guarded[name] = async (input) => {
        if (this.closed) throw new RunCancelledError(`run ${runId} was cancelled before ${name} started`);
        const task = Promise.resolve(handler(input));
        this.inFlight.add(task);
        try {
          return await task;
        } finally {
          this.inFlight.delete(task);
        }
      };
    }
    return guarded;
  }

  /** Resolves once every task that had started has settled, whatever its outcome. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
