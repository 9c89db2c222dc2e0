/** Small pipelines shared by the translator tests, built through the real spec schema. */
import { type Pipeline, type PipelineInput, PipelineSchema } from '../../../shared/spec/schema.ts';

export const SOURCE_CONFIG = { bucket: 'in', key: 'sales.csv' };
export const FILTER_CONFIG = { where: 'amount > 0' };
export const DERIVE_CONFIG = { columns: { year: 'year(sold_at)' } };
export const SINK_CONFIG = { bucket: 'out', prefix: 'sales/' };

/**
 * Fixtures fix inline Maps unless a test asks otherwise: the whole-ASL
 * expectations stay readable, and the `auto` mode has tests of its own.
 */
export function pipeline(input: PipelineInput): Pipeline {
  const execution = input.execution ?? {};
  return PipelineSchema.parse({
    ...input,
    execution: { ...execution, distributed: { mode: 'inline', ...execution.distributed } },
  });
}

/** (a) extractor -> filter -> loader, with one parameter that has a default and one that does not. */
export function linearPipeline(overrides: Partial<PipelineInput> = {}): Pipeline {
  return pipeline({
    name: 'Daily Sales',
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: SOURCE_CONFIG },
      { id: 'keep', type: 'transformer', module: 'filter', config: FILTER_CONFIG },
      { id: 'sink', type: 'loader', module: 's3-parquet', config: SINK_CONFIG },
    ],
    edges: [
      { source: 'src', target: 'keep' },
      { source: 'keep', target: 'sink' },
    ],
    parameters: { region: { default: 'eu' }, limit: { type: 'number' } },
    ...overrides,
  });
}

/** `execution.fuse: false`: one Task per node, as before operator fusion. */
export const UNFUSED = { fuse: false } as const;

/** (b) extractor -> derive -> two loaders. */
export function forkPipeline(execution: PipelineInput['execution'] = {}): Pipeline {
  return pipeline({
    id: 'fork-demo',
    name: 'Fork demo',
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: SOURCE_CONFIG },
      { id: 'enrich', type: 'transformer', module: 'derive', config: DERIVE_CONFIG },
      { id: 'lake', type: 'loader', module: 's3-parquet', config: SINK_CONFIG },
      { id: 'archive', type: 'loader', module: 's3-parquet', config: { bucket: 'archive' } },
    ],
    edges: [
      { source: 'src', target: 'enrich' },
      { source: 'enrich', target: 'lake' },
      { source: 'enrich', target: 'archive' },
    ],
    execution: { max_concurrency: 4, timeout_seconds: 600, task_timeout_seconds: 120, ...execution },
  });
}

/** (c) two independent extractor -> loader chains. */
export function twoStagePipeline(execution: PipelineInput['execution'] = {}): Pipeline {
  return pipeline({
    id: 'two-sources',
    name: 'Two sources',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'in', key: 'orders.csv' } },
      { id: 'refunds', type: 'extractor', module: 's3-csv', config: { bucket: 'in', key: 'refunds.csv' } },
      { id: 'ordersOut', type: 'loader', module: 's3-parquet', config: { bucket: 'out', prefix: 'orders/' } },
      {
        id: 'refundsOut',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'out', prefix: 'refunds/' },
      },
    ],
    edges: [
      { source: 'orders', target: 'ordersOut' },
      { source: 'refunds', target: 'refundsOut' },
    ],
    execution,
  });
}

export const ALL_PIPELINES: ReadonlyArray<readonly [string, () => Pipeline]> = [
  ['extractor -> filter -> loader', () => linearPipeline()],
  ['a fork into two loaders', forkPipeline],
  ['two extractors', twoStagePipeline],
  ['retries off', () => linearPipeline({ execution: { retries: { max_attempts: 0 } } })],
  ['extractor -> filter -> loader, unfused', () => linearPipeline({ execution: UNFUSED })],
  ['a fork into two loaders, unfused', () => forkPipeline(UNFUSED)],
  ['two extractors, unfused', () => twoStagePipeline(UNFUSED)],
];
