import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { PipelineStore } from '../../../../shared/store/pipeline-store.ts';
import { TriggerClaims } from '../../../../shared/triggers/claims.ts';
import { type ScheduledRunDeps, startScheduledRun } from '../../../../shared/triggers/scheduled-run.ts';
import { pipelineSourceFromStore } from '../../../../shared/triggers/store-adapters.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';
import { RecordingExecutions } from './recording-executions.ts';

let table: LocalTable;
let runs = 0;

function deps(executions: RecordingExecutions): ScheduledRunDeps {
  return {
    pipelines: pipelineSourceFromStore(table.client, TABLE),
    executions,
    claims: new TriggerClaims(table.client, TABLE),
    newRunId: () => `01SCHED${String(++runs).padStart(19, '0')}`,
  };
}

beforeAll(async () => {
  table = await startLocalTable();
  const pipeline = PipelineSchema.parse({
    id: 'nightly',
    name: 'Nightly',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'orders/' } },
      { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'orders/' } },
    ],
    edges: [{ source: 'orders', target: 'curated' }],
    schedule: { cron: '0 3 * * *' },
  });
  await new PipelineStore(table.client, TABLE, 'acme').create('nightly', pipeline, 'alice');
});
afterAll(() => table.close());

describe('startScheduledRun', () => {
  it('starts one run per tick, however often and concurrently the tick is delivered', async () => {
    const executions = new RecordingExecutions();
    const tick = {
      organization: 'acme',
      pipelineId: 'nightly',
      scheduledTime: new Date('2026-11-26T03:00:00Z'),
    };

    const started = await Promise.all([1, 2, 3].map(() => startScheduledRun(tick, deps(executions))));
    const again = await startScheduledRun(
      { ...tick, scheduledTime: new Date('2026-11-26T03:00:30Z') },
      deps(executions),
    );

    expect(started.filter((runId) => runId !== undefined)).toHaveLength(1);
    expect(again).toBeUndefined();
    expect(executions.started).toHaveLength(1);
    expect(executions.started[0]).toMatchObject({
      organization: 'acme',
      pipelineVersion: 1,
      trigger: 'schedule',
      parameters: {},
    });
  });

  it('starts the next tick as a new run', async () => {
    const executions = new RecordingExecutions();

    await startScheduledRun(
      { organization: 'acme', pipelineId: 'nightly', scheduledTime: new Date('2026-11-27T03:00:00Z') },
      deps(executions),
    );

    expect(executions.started).toHaveLength(1);
  });

  it('starts nothing for a pipeline that was deleted', async () => {
    const executions = new RecordingExecutions();

    const runId = await startScheduledRun(
      { organization: 'acme', pipelineId: 'gone', scheduledTime: new Date('2026-11-26T03:00:00Z') },
      deps(executions),
    );

    expect(runId).toBeUndefined();
    expect(executions.started).toHaveLength(0);
  });

  it('lets a redelivered tick start the run when starting it failed', async () => {
    const executions = new RecordingExecutions();
    executions.failNext = 1;
    const tick = {
      organization: 'acme',
      pipelineId: 'nightly',
      scheduledTime: new Date('2026-11-28T03:00:00Z'),
    };

    await expect(startScheduledRun(tick, deps(executions))).rejects.toThrow('StartExecution throttled');
    const runId = await startScheduledRun(tick, deps(executions));

    expect(runId).toBeDefined();
    expect(executions.started).toHaveLength(1);
  });
});
