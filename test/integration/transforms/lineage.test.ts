/**
 * Column lineage of a local run over birdstrikes.csv (several chunks):
 * select -> derive -> filter -> sql -> aggregate. A derived, then aggregated
 * column is traced from the loader back to the source columns it reads.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { renderTrace, traceFromEnds } from '../../../shared/cli/commands/lineage.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { lineageStoreFor } from '../../../shared/lineage/record.ts';
import { sourceColumns } from '../../../shared/lineage/trace.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import {
  putLocalFile,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';

const pipeline = PipelineSchema.parse({
  name: 'birdstrike costs',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'birdstrikes/' } },
    {
      id: 'pick',
      type: 'transformer',
      module: 'select',
      config: {
        columns: ['Airport Name', 'Origin State', 'Cost Repair', 'Cost Other', 'Cost Total $'],
        rename: { 'Origin State': 'state', 'Cost Total $': 'cost_total' },
      },
    },
    {
      id: 'enrich',
      type: 'transformer',
      module: 'derive',
      config: {
        columns: [
          { name: 'cost_parts', expression: '"Cost Repair" + "Cost Other"' },
          { name: 'cost_k', expression: 'cost_parts / 1000.0' },
        ],
      },
    },
    { id: 'costly', type: 'transformer', module: 'filter', config: { expression: 'cost_total > 0' } },
    {
      id: 'shape',
      type: 'transformer',
      module: 'sql',
      config: {
        query:
          'SELECT "Airport Name" AS airport, state, round(cost_k, 1) AS cost_k_rounded FROM input WHERE state IS NOT NULL',
      },
    },
    {
      id: 'by_state',
      type: 'transformer',
      module: 'aggregate',
      config: {
        group_by: ['state'],
        aggregates: [
          { name: 'total_k', function: 'sum', expression: 'cost_k_rounded' },
          { name: 'strikes', function: 'count' },
        ],
      },
    },
    { id: 'out_rows', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'rows/' } },
    { id: 'out_states', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'states/' } },
  ],
  edges: [
    { source: 'src', target: 'pick' },
    { source: 'pick', target: 'enrich' },
    { source: 'enrich', target: 'costly' },
    { source: 'costly', target: 'shape' },
    { source: 'shape', target: 'by_state' },
    { source: 'shape', target: 'out_rows' },
    { source: 'by_state', target: 'out_states' },
  ],
  execution: { chunk_size_bytes: 256 * 1024 },
});

describe('column lineage of a run', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, join(SHARED_DATA, 'birdstrikes.csv'), 'raw', 'birdstrikes/birdstrikes.csv');
  });
  afterAll(() => env.close());

  it('traces an aggregated, derived column back to its source columns through five transforms', async () => {
    const result = await runPipelineLocally(pipeline, env.services);
    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(result.nodes.find((node) => node.nodeId === 'src')?.chunks).toBeGreaterThan(1);

    const nodes = await lineageStoreFor(handlerDeps()).list(result.runId);
    const [trace, ...others] = traceFromEnds(nodes, 'total_k');

    expect(others).toStrictEqual([]);
    expect(renderTrace(trace as NonNullable<typeof trace>)).toBe(
      [
        'out_states.total_k  (s3-parquet, direct)',
        '└─ by_state.total_k  (aggregate, aggregated)',
        '   └─ shape.cost_k_rounded  (sql, derived)',
        '      └─ costly.cost_k  (filter, filtered)',
        '         └─ enrich.cost_k  (derive, derived)',
        '            ├─ pick."Cost Repair"  (select, direct)',
        '            │  └─ src."Cost Repair"  (s3-csv, source)',
        '            └─ pick."Cost Other"  (select, direct)',
        '               └─ src."Cost Other"  (s3-csv, source)',
        'sources: src."Cost Repair", src."Cost Other"',
      ].join('\n'),
    );
  });

  it('follows renames and aliases, and knows which end node has a column', async () => {
    const result = await runPipelineLocally(pipeline, env.services);
    const nodes = await lineageStoreFor(handlerDeps()).list(result.runId);

    const sources = (column: string) =>
      traceFromEnds(nodes, column).map((trace) => [trace.nodeId, sourceColumns(trace)]);

    expect(sources('airport')).toStrictEqual([['out_rows', [{ nodeId: 'src', column: 'Airport Name' }]]]);
    expect(sources('STATE')).toStrictEqual([
      ['out_rows', [{ nodeId: 'src', column: 'Origin State' }]],
      ['out_states', [{ nodeId: 'src', column: 'Origin State' }]],
    ]);
    expect(sources('strikes')).toStrictEqual([['out_states', []]]);
    expect(traceFromEnds(nodes, 'cost_total')).toStrictEqual([]);
    expect(traceFromEnds(nodes, 'cost_total', 'costly')[0]?.kind).toBe('filtered');
  });

  it('learns the columns of a Parquet source (no plan file) from what the run kept', async () => {
    const weather = join(env.scratch, 'weather.parquet');
    await queryDirectly(
      `COPY (SELECT * FROM read_csv('${join(SHARED_DATA, 'weather.csv')}')) TO '${weather}' (FORMAT parquet)`,
    );
    await putLocalFile(env, weather, 'raw', 'weather/weather.parquet');
    const parquet = PipelineSchema.parse({
      name: 'weather lineage',
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: 's3-parquet-extract',
          config: { bucket: 'raw', prefix: 'weather/' },
        },
        {
          id: 'wet',
          type: 'transformer',
          module: 'aggregate',
          config: {
            group_by: ['location'],
            aggregates: [{ name: 'rain', function: 'sum', expression: 'precipitation' }],
          },
        },
        { id: 'windy', type: 'transformer', module: 'filter', config: { expression: 'wind > 5' } },
        { id: 'out_wet', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'wet/' } },
        {
          id: 'out_windy',
          type: 'loader',
          module: 's3-parquet',
          config: { bucket: 'lake', prefix: 'windy/' },
        },
      ],
      edges: [
        { source: 'src', target: 'wet' },
        { source: 'src', target: 'windy' },
        { source: 'wet', target: 'out_wet' },
        { source: 'windy', target: 'out_windy' },
      ],
    });

    const result = await runPipelineLocally(parquet, env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const nodes = await lineageStoreFor(handlerDeps()).list(result.runId);
    const sources = (column: string) => traceFromEnds(nodes, column).map((trace) => sourceColumns(trace));
    expect(sources('rain')).toStrictEqual([[{ nodeId: 'src', column: 'precipitation' }]]);
    expect(sources('wind')).toStrictEqual([[{ nodeId: 'src', column: 'wind' }]]);
    expect(nodes.every((node) => node.problem === undefined)).toBe(true);
  });

  it('is recorded by Finalize for a run of a stored pipeline version', async () => {
    const deps = handlerDeps();
    const stored = { ...pipeline, id: 'birdstrike-costs' };
    const pipelines = new PipelineStore(
      createDynamoDbClient(deps.env),
      deps.env.metadataTable,
      deps.organization,
    );
    const { version } = await pipelines.create(stored.id, stored, 'lineage-test');

    const result = await runPipelineLocally(stored, env.services, { pipelineVersion: version });

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const nodes = await lineageStoreFor(deps).list(result.runId);
    const [trace] = traceFromEnds(nodes, 'total_k');
    expect(trace && sourceColumns(trace)).toStrictEqual([
      { nodeId: 'src', column: 'Cost Repair' },
      { nodeId: 'src', column: 'Cost Other' },
    ]);
  });
});
