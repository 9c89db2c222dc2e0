/**
 * Which attempt of a run an end belongs to. A redrive runs the same run
 * again (same run id, same execution); Step Functions counts redrives in
 * `$$.Execution.RedriveCount` and in the `redriveCount` of its status-change
 * events, and the local runtime keeps the same count in the run's snapshot.
 * A run's failure is told by its run id and attempt: the same failure
 * delivered twice has the same key (one alert, one notification), the
 * failure of a redriven attempt a new one (a new alert, a new notification).
 */

/** The first execution of a run: nothing redriven yet. */
export const FIRST_ATTEMPT = 0;

/**
 * `<runId>` for the first attempt (the key runs had before redrives were
 * counted, so records written then still match), `<runId>.<n>` after n
 * redrives. Run ids are ULIDs, which hold no `.`, so the two never meet.
 */
export function attemptKey(runId: string, attempt: number): string {
  return attempt === FIRST_ATTEMPT ? runId : `${runId}.${attempt}`;
}

/**
 * The attempt a Step Functions context object (`$$.Execution`) names; a
 * missing or malformed count is the first attempt (a definition translated
 * before the count was passed, or an interpreter without one).
 */
export function attemptOfExecution(execution: { readonly RedriveCount?: unknown } | undefined): number {
  const count = execution?.RedriveCount;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : FIRST_ATTEMPT;
}
