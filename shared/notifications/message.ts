/** The words of a run notification: one subject and text for every channel. */
import { attemptKey, FIRST_ATTEMPT } from '../executions/run-attempt.ts';
import type { AlertDraft } from './run-alerts.ts';
import { type RunEvent, type RunOutcome, runEventOf } from './run-outcome-types.ts';

export interface RunNotification {
  readonly organization: string;
  readonly pipelineId: string;
  readonly runId: string;
  readonly event: RunEvent;
  /** Redrives of the run before this end (absent: none): each attempt's end is told once. */
  readonly attempt?: number;
  readonly status: RunOutcome['status'];
  readonly subject: string;
  readonly text: string;
  /** `<runId>[.<attempt>]:<event>`: receivers drop repeats carrying the same key. */
  readonly idempotencyKey: string;
}

const STATUS_WORDS: Record<RunOutcome['status'], string> = {
  success: 'succeeded',
  failed: 'failed',
  timeout: 'timed out',
};

export function runNotification(outcome: RunOutcome, alerts: readonly AlertDraft[]): RunNotification {
  const event = runEventOf(outcome);
  const attempt = outcome.attempt ?? FIRST_ATTEMPT;
  const subject = `ETL run ${STATUS_WORDS[outcome.status]}: ${outcome.pipelineName} (${outcome.runId})`;
  const lines = [
    `Pipeline ${outcome.pipelineName} (${outcome.pipelineId}), organization ${outcome.organization}`,
    `Run ${outcome.runId} ${STATUS_WORDS[outcome.status]}${attempt === FIRST_ATTEMPT ? '' : ` after redrive ${attempt}`}.`,
    ...(outcome.error
      ? [
          `Error${outcome.error.nodeId ? ` at node ${outcome.error.nodeId}` : ''}: ${outcome.error.name}: ${outcome.error.message}`,
        ]
      : []),
    ...alerts.map((alert) => `Alert (${alert.level}): ${alert.message}`),
  ];
  return {
    organization: outcome.organization,
    pipelineId: outcome.pipelineId,
    runId: outcome.runId,
    event,
    attempt,
    status: outcome.status,
    subject,
    text: lines.join('\n'),
    idempotencyKey: `${attemptKey(outcome.runId, attempt)}:${event}`,
  };
}
