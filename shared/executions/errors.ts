/** What the execution services refuse, typed so the API can answer 404 or 409 without parsing messages. */
import { TerminalError } from '../errors.ts';

/** No run with this id in the organization (a run of another organization is not found either). */
export class RunNotFoundError extends TerminalError {
  override readonly name = 'RunNotFoundError';

  constructor(
    readonly organization: string,
    readonly runId: string,
  ) {
    super(`run ${runId} does not exist in organization ${organization}`);
  }
}

/** The run is in a status the action does not apply to (cancel a finished run, redrive a running one). */
export class RunStateConflictError extends TerminalError {
  override readonly name = 'RunStateConflictError';
}

/** A rerun of failed chunks cannot reuse the failed run's chunks under the current pipeline version. */
export class RerunNotPossibleError extends TerminalError {
  override readonly name = 'RerunNotPossibleError';
}

/** A preview's sample run failed: `runError` says where and why, as a run's error does. */
export class PreviewFailedError extends TerminalError {
  override readonly name = 'PreviewFailedError';

  constructor(
    readonly runError: { readonly nodeId?: string; readonly name: string; readonly message: string },
  ) {
    super(`the preview failed${runError.nodeId ? ` at node ${runError.nodeId}` : ''}: ${runError.message}`);
  }
}
