/**
 * The end of a run, told: alerts raised (once per run and type) and the
 * pipeline's notifications delivered (once per run, event and target).
 * Called by Finalize and OnFailure, and by whatever closes a run that
 * neither reached (an execution timeout).
 */
import type { Alert, AlertStore } from '../store/alert-store.ts';
import type { TriggerClaims } from '../triggers/claims.ts';
import type { NotificationChannels } from './channels.ts';
import { type DeliveryResult, deliverNotification, type NotificationTarget } from './deliver.ts';
import { runNotification } from './message.ts';
import { alertsForRun } from './run-alerts.ts';
import { type QualityWarning, type RunOutcome, runEventOf } from './run-outcome-types.ts';

export interface PipelineNotifications {
  readonly on_failure: readonly NotificationTarget[];
  readonly on_success: readonly NotificationTarget[];
}

/** A pipeline's notification settings (the pipeline store: the run's version, else the latest). */
export interface NotificationSettingsSource {
  notificationsFor(
    organization: string,
    pipelineId: string,
    version: number | undefined,
  ): Promise<PipelineNotifications | undefined>;
}

export interface RunOutcomeDeps {
  readonly alerts: AlertStore;
  readonly claims: TriggerClaims;
  readonly channels: NotificationChannels;
  readonly settings: NotificationSettingsSource;
  /** Failed `warn` rules of the run's validate nodes. */
  readonly qualityWarnings: (runId: string, validateNodeIds: readonly string[]) => Promise<QualityWarning[]>;
}

export interface RunOutcomeReport {
  readonly alerts: readonly Alert[];
  readonly deliveries: readonly DeliveryResult[];
}

export async function reportRunOutcome(outcome: RunOutcome, deps: RunOutcomeDeps): Promise<RunOutcomeReport> {
  const validateNodes = outcome.nodes.filter((node) => node.module === 'validate').map((node) => node.nodeId);
  const warnings =
    outcome.status === 'success' && validateNodes.length > 0
      ? await deps.qualityWarnings(outcome.runId, validateNodes)
      : [];
  const drafts = alertsForRun(outcome, warnings);
  const alerts: Alert[] = [];
  for (const draft of drafts) {
    const { alert } = await deps.alerts.raise({
      ...draft,
      pipelineId: outcome.pipelineId,
      runId: outcome.runId,
      ...(outcome.attempt === undefined ? {} : { attempt: outcome.attempt }),
    });
    alerts.push(alert);
  }
  const settings = await deps.settings.notificationsFor(
    outcome.organization,
    outcome.pipelineId,
    outcome.pipelineVersion,
  );
  const targets = runEventOf(outcome) === 'success' ? settings?.on_success : settings?.on_failure;
  const deliveries =
    targets && targets.length > 0
      ? await deliverNotification(targets, runNotification(outcome, drafts), deps.claims, deps.channels)
      : [];
  return { alerts, deliveries };
}
