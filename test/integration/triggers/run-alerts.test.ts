/**
 * Runs end to end on real data (Seattle weather) through Finalize and
 * OnFailure: data-quality warnings, a failing quality rule and a reject
 * ratio over the threshold each become the alert that says why.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { putLocalFile, SHARED_DATA, startTestEnvironment, type TestEnvironment } from '../harness.ts';

const ORG = 'quality';

let env: TestEnvironment;
let alerts: AlertStore;

function weatherPipeline(id: string, severity: 'warn' | 'fail' | 'reject', maxRejectRatio = 0.05): Pipeline {
  return PipelineSchema.parse({
    id,
    name: `Weather ${severity}`,
    nodes: [
      { id: 'days', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'weather/' } },
      {
        id: 'checks',
        type: 'transformer',
        module: 'validate',
        // 149 of Seattle's 2,922 days (5.1%) pass 30 °C.
        config: { rules: [{ column: 'temp_max', check: 'range', max: 30, severity, name: 'hot_days' }] },
      },
      {
        id: 'curated',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'curated', prefix: `${id}/` },
      },
    ],
    edges: [
      { source: 'days', target: 'checks' },
      { source: 'checks', target: 'curated' },
    ],
    execution: { max_reject_ratio: maxRejectRatio },
  });
}

async function alertsOf(runId: string) {
  return (await alerts.list({ limit: 100 })).items
    .filter((alert) => alert.runId === runId)
    .map((alert) => ({ type: alert.type, level: alert.level, message: alert.message }));
}

beforeAll(async () => {
  env = await startTestEnvironment();
  await putLocalFile(env, join(SHARED_DATA, 'weather.csv'), 'landing', 'weather/seattle.csv');
  alerts = new AlertStore(createDynamoDbClient(env.services.env), env.services.env.metadataTable, ORG);
});
afterAll(() => env?.close());

describe('alerts of finished runs', () => {
  it('raises a quality_failed warning for a successful run whose warn rule failed', async () => {
    const result = await runPipelineLocally(weatherPipeline('warned', 'warn'), env.services, {
      organization: ORG,
    });

    expect(result.run.status).toBe('success');
    const raised = await alertsOf(result.runId);
    expect(raised).toMatchObject([{ type: 'quality_failed', level: 'warning' }]);
    expect(raised[0]?.message).toContain('checks/hot_days failed 149 of 2922 rows');
  });

  it('raises a critical quality_failed when a fail rule fails the run', async () => {
    const result = await runPipelineLocally(weatherPipeline('failed', 'fail'), env.services, {
      organization: ORG,
    });

    expect(result.run.status).toBe('failed');
    expect(await alertsOf(result.runId)).toMatchObject([
      {
        type: 'quality_failed',
        level: 'critical',
        message: expect.stringContaining('validate rule "hot_days" failed'),
      },
    ]);
  });

  it('raises reject_ratio when rejects pass execution.max_reject_ratio', async () => {
    const result = await runPipelineLocally(weatherPipeline('rejected', 'reject', 0.0001), env.services, {
      organization: ORG,
    });

    expect(result.run.status).toBe('failed');
    expect(await alertsOf(result.runId)).toMatchObject([
      {
        type: 'reject_ratio',
        level: 'critical',
        message: expect.stringContaining('over execution.max_reject_ratio'),
      },
    ]);
  });

  it('raises nothing for a run whose rejects stay under the threshold', async () => {
    const result = await runPipelineLocally(weatherPipeline('clean', 'reject', 0.1), env.services, {
      organization: ORG,
    });

    expect(result.run.status).toBe('success');
    expect(await alertsOf(result.runId)).toStrictEqual([]);
  });
});
