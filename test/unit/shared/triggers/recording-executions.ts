/**
 * An ExecutionService that records what it is asked to start: for tests of
 * trigger matching and claims, where running the pipeline would prove nothing more.
 */
import type { ExecutionService, StartRunRequest } from '../../../../shared/executions/execution-service.ts';

export class RecordingExecutions implements ExecutionService {
  readonly started: StartRunRequest[] = [];
  /** Makes the next `start` calls fail, as a throttled StartExecution would. */
  failNext = 0;

  async deployPipeline(): Promise<void> {}
  async removePipeline(): Promise<void> {}
  async start(request: StartRunRequest): Promise<void> {
    // Yield first, as a real call would: concurrent deliveries then interleave.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('StartExecution throttled');
    }
    this.started.push(request);
  }
  async cancel(): Promise<void> {
    throw new Error('not used by trigger tests');
  }
  async redrive(): Promise<void> {
    throw new Error('not used by trigger tests');
  }
  async rerunFailedChunks(): Promise<void> {
    throw new Error('not used by trigger tests');
  }
}
