import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../web/src/api/types.ts';
import { runSeries } from '../../../../web/src/charts/run-series.ts';

function run(overrides: Partial<RunSummary>): RunSummary {
  return {
    runId: 'r',
    pipelineId: 'p',
    pipelineVersion: 1,
    pipelineName: 'P',
    status: 'success',
    trigger: 'manual',
    parameters: {},
    startedAt: '2026-11-25T10:00:00Z',
    ...overrides,
  };
}

describe('runSeries', () => {
  it('orders finished runs oldest first and leaves gaps where a measure is missing', () => {
    const series = runSeries([
      run({
        startedAt: '2026-11-25T11:00:00Z',
        durationMs: 7000,
        rowsIn: 200,
        rowsOut: 150,
        rowsRejected: 50,
      }),
      run({ status: 'running', startedAt: '2026-11-25T12:00:00Z' }),
      run({ startedAt: '2026-11-25T10:00:00Z', durationMs: 5000, rowsIn: 100, rowsOut: 90 }),
    ]);

    expect(series).toStrictEqual({
      time: [Date.parse('2026-11-25T10:00:00Z') / 1000, Date.parse('2026-11-25T11:00:00Z') / 1000],
      durationSeconds: [5, 7],
      rowsIn: [100, 200],
      rowsOut: [90, 150],
      rejectRatio: [null, 0.25],
    });
  });
});
