/**
 * Which alerts a finished run raises. A failure raises the one alert that
 * says best why (a quality rule, the reject ratio, a timeout, or a plain
 * failure); a success raises a warning when `warn` quality rules failed.
 */
import type { AlertLevel, AlertType } from '../store/alert-store.ts';
import type { QualityWarning, RunOutcome } from './run-outcome-types.ts';

export interface AlertDraft {
  readonly level: AlertLevel;
  readonly type: AlertType;
  readonly message: string;
}

/** Error names the data plane throws for these causes (shared/lambda/reject-threshold.ts, the validate kernel). */
const REJECT_THRESHOLD_ERROR = 'RejectThresholdExceeded';
const QUALITY_MODULE = 'validate';

function failureAlert(outcome: RunOutcome): AlertDraft {
  const { error, pipelineName, runId } = outcome;
  const where = error?.nodeId ? ` at node ${error.nodeId}` : '';
  const why = error ? `${error.name}: ${error.message}` : 'no error details';
  if (outcome.status === 'timeout') {
    return {
      level: 'critical',
      type: 'run_timeout',
      message: `run ${runId} of ${pipelineName} timed out: ${why}`,
    };
  }
  if (error?.name === REJECT_THRESHOLD_ERROR) {
    return {
      level: 'critical',
      type: 'reject_ratio',
      message: `run ${runId} of ${pipelineName} failed${where}: ${error.message}`,
    };
  }
  const failedNode = outcome.nodes.find((node) => node.nodeId === error?.nodeId);
  if (failedNode?.module === QUALITY_MODULE && error?.name === 'DataError') {
    return {
      level: 'critical',
      type: 'quality_failed',
      message: `run ${runId} of ${pipelineName} failed a data-quality rule${where}: ${error.message}`,
    };
  }
  return {
    level: 'critical',
    type: 'run_failed',
    message: `run ${runId} of ${pipelineName} failed${where}: ${why}`,
  };
}

function qualityWarningAlert(outcome: RunOutcome, warnings: readonly QualityWarning[]): AlertDraft {
  const rules = warnings
    .map((warning) => `${warning.nodeId}/${warning.rule} failed ${warning.failed} of ${warning.checked} rows`)
    .join('; ');
  return {
    level: 'warning',
    type: 'quality_failed',
    message: `run ${outcome.runId} of ${outcome.pipelineName} succeeded with data-quality warnings: ${rules}`,
  };
}

export function alertsForRun(outcome: RunOutcome, qualityWarnings: readonly QualityWarning[]): AlertDraft[] {
  if (outcome.status !== 'success') return [failureAlert(outcome)];
  return qualityWarnings.length > 0 ? [qualityWarningAlert(outcome, qualityWarnings)] : [];
}
