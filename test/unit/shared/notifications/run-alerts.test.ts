import { describe, expect, it } from 'vitest';
import { alertsForRun } from '../../../../shared/notifications/run-alerts.ts';
import type { RunOutcome } from '../../../../shared/notifications/run-outcome-types.ts';

const NODES = [
  { nodeId: 'orders', module: 's3-csv', rowsIn: 100, rowsRejected: 0 },
  { nodeId: 'checks', module: 'validate', rowsIn: 100, rowsRejected: 9 },
];

function outcome(overrides: Partial<RunOutcome>): RunOutcome {
  return {
    organization: 'acme',
    runId: '01RUN',
    pipelineId: 'sales',
    pipelineName: 'Sales',
    status: 'failed',
    nodes: NODES,
    ...overrides,
  };
}

describe('alertsForRun', () => {
  it('raises run_failed for a failure of no special kind', () => {
    const alerts = alertsForRun(
      outcome({ error: { nodeId: 'orders', name: 'SourceNotFoundError', message: 'no such key' } }),
      [],
    );

    expect(alerts).toStrictEqual([
      {
        level: 'critical',
        type: 'run_failed',
        message: 'run 01RUN of Sales failed at node orders: SourceNotFoundError: no such key',
      },
    ]);
  });

  it('raises run_timeout for a timed-out run', () => {
    const alerts = alertsForRun(
      outcome({ status: 'timeout', error: { name: 'States.Timeout', message: 'over 60 s' } }),
      [],
    );

    expect(alerts.map((alert) => [alert.type, alert.level])).toStrictEqual([['run_timeout', 'critical']]);
  });

  it('raises reject_ratio when the reject threshold failed the run', () => {
    const message = 'node checks rejected 9 of 100 rows (9.0%), over execution.max_reject_ratio 5.0%';
    const alerts = alertsForRun(
      outcome({ error: { nodeId: 'checks', name: 'RejectThresholdExceeded', message } }),
      [],
    );

    expect(alerts).toStrictEqual([
      {
        level: 'critical',
        type: 'reject_ratio',
        message: `run 01RUN of Sales failed at node checks: ${message}`,
      },
    ]);
  });

  it('raises quality_failed when a fail-severity rule of a validate node failed the run', () => {
    const message = 'validate rule "not_null:email" failed on column "email" for 3 row(s), e.g. NULL';
    const alerts = alertsForRun(outcome({ error: { nodeId: 'checks', name: 'DataError', message } }), []);

    expect(alerts.map((alert) => [alert.type, alert.level])).toStrictEqual([['quality_failed', 'critical']]);
    expect(alerts[0]?.message).toContain(message);
  });

  it('raises a quality_failed warning when a successful run has failing warn rules', () => {
    const alerts = alertsForRun(outcome({ status: 'success' }), [
      { nodeId: 'checks', rule: 'range:amount', column: 'amount', failed: 4, checked: 100 },
    ]);

    expect(alerts).toStrictEqual([
      {
        level: 'warning',
        type: 'quality_failed',
        message:
          'run 01RUN of Sales succeeded with data-quality warnings: checks/range:amount failed 4 of 100 rows',
      },
    ]);
  });

  it('raises nothing for a clean success', () => {
    expect(alertsForRun(outcome({ status: 'success' }), [])).toStrictEqual([]);
  });
});
