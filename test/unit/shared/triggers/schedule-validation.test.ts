import { describe, expect, it } from 'vitest';
import { registry } from '../../../../shared/modules/registry.ts';
import { validatePipeline } from '../../../../shared/spec/validate.ts';

const PIPELINE = {
  name: 'nightly',
  nodes: [
    { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'orders/' } },
    { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'orders/' } },
  ],
  edges: [{ source: 'orders', target: 'curated' }],
};

describe('pipeline validation of schedules', () => {
  it('points at /schedule/cron with the reason EventBridge Scheduler cannot run it', async () => {
    const result = await validatePipeline({ ...PIPELINE, schedule: { cron: '0 6 1 * MON' } }, registry);

    expect(result.ok).toBe(false);
    expect(result.errors).toStrictEqual([
      {
        pointer: '/schedule/cron',
        code: 'schema',
        message: expect.stringMatching(
          /^cron "0 6 1 \* MON": day-of-week field: both day-of-month and day-of-week are restricted/,
        ),
      },
    ]);
  });

  it('reports a malformed expression once, as not having 5 fields', async () => {
    const result = await validatePipeline({ ...PIPELINE, schedule: { cron: '0 6 *' } }, registry);

    expect(result.errors.map((error) => [error.pointer, error.message])).toStrictEqual([
      ['/schedule/cron', 'must be a 5-field cron expression, e.g. "0 3 * * *"'],
    ]);
  });

  it('accepts a schedule AWS can express', async () => {
    const result = await validatePipeline(
      { ...PIPELINE, schedule: { cron: '*/15 8-18 * * MON-FRI' } },
      registry,
    );

    expect(result.errors).toStrictEqual([]);
  });
});
