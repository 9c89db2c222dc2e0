/**
 * The scale simulation (bench/scale) at 10,000 chunks: the parent execution
 * stays far inside Step Functions' limits because chunk work runs in a
 * Distributed Map's child executions and states carry references only.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';

interface ScaleReport {
  readonly chunks: number;
  readonly largestPayloadBytes: number;
  readonly projectedParentHistoryEvents: number;
  readonly childStateTransitions: number;
  readonly lambdaInvocations: Record<string, number>;
}

describe('scale simulation', () => {
  it('keeps every payload under 256 KB and the parent history under 25,000 events at 10,000 chunks', () => {
    const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const result = spawnSync(
      process.execPath,
      ['--openssl-legacy-provider', '--import', tsx, join(REPO_ROOT, 'bench/scale/simulate.ts'), '10000'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      },
    );

    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ScaleReport;
    expect(report.chunks).toBe(10_000);
    expect(report.largestPayloadBytes).toBeLessThan(256 * 1024);
    expect(report.projectedParentHistoryEvents).toBeLessThan(25_000);
    // Every chunk really ran, fused (execution.fuse): its three nodes in one Task of a child execution.
    expect(report.childStateTransitions).toBe(10_000);
    expect(report.lambdaInvocations['fused-chain']).toBe(10_000);
  });
});
