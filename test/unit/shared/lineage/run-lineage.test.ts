import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLineageTable, renderTrace, traceFromEnds } from '../../../../shared/cli/commands/lineage.ts';
import { withDuckDb } from '../../../../shared/duckdb/engine.ts';
import { computeRunLineage, type NodeLineage } from '../../../../shared/lineage/run-lineage.ts';
import { sinkNodes, sourceColumns } from '../../../../shared/lineage/trace.ts';
import type { ColumnInfo } from '../../../../shared/modules/kernels.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';

// movies.json's columns as DuckDB reads them: JSON titles (numbers and strings), text dates.
const MOVIES: ColumnInfo[] = [
  { name: 'Title', type: 'JSON' },
  { name: 'Director', type: 'VARCHAR' },
  { name: 'Release Date', type: 'VARCHAR' },
  { name: 'US Gross', type: 'BIGINT' },
  { name: 'Worldwide Gross', type: 'BIGINT' },
];

const pipeline = PipelineSchema.parse({
  name: 'movies lineage',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-json', config: { bucket: 'raw' } },
    { id: 'other', type: 'extractor', module: 's3-parquet', config: { bucket: 'raw' } },
    {
      id: 'tidy',
      type: 'transformer',
      module: 'normalize',
      config: { operations: [{ column: 'Release Date', op: 'date', onInvalid: 'reject' }] },
    },
    {
      id: 'hide',
      type: 'transformer',
      module: 'mask',
      config: { columns: [{ column: 'Director', method: 'hash', secret: 'key' }] },
    },
    {
      id: 'gross',
      type: 'transformer',
      module: 'derive',
      config: { columns: [{ name: 'abroad', expression: '"Worldwide Gross" - "US Gross"' }] },
    },
    {
      id: 'by_director',
      type: 'transformer',
      module: 'aggregate',
      config: {
        group_by: ['Director'],
        aggregates: [{ name: 'abroad', function: 'sum', expression: 'abroad' }],
      },
    },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake' } },
    { id: 'lost', type: 'transformer', module: 'filter', config: { expression: 'x > 0' } },
    { id: 'out_lost', type: 'loader', module: 's3-parquet', config: { bucket: 'lake' } },
  ],
  edges: [
    { source: 'src', target: 'tidy' },
    { source: 'tidy', target: 'hide' },
    { source: 'hide', target: 'gross' },
    { source: 'gross', target: 'by_director' },
    { source: 'by_director', target: 'out' },
    { source: 'other', target: 'lost' },
    { source: 'lost', target: 'out_lost' },
  ],
});

describe('computeRunLineage', () => {
  let workDir: string;
  let nodes: NodeLineage[];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'etl-lineage-test-'));
    // `other` has no known columns: its branch gets no lineage rather than a guess.
    nodes = await withDuckDb({ workDir }, (connection) =>
      computeRunLineage(pipeline, new Map([['src', MOVIES]]), { connection }),
    );
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it('describes every node downstream of a known source, in graph order', () => {
    expect(nodes.map((node) => [node.nodeId, node.columns.map((entry) => entry.output)])).toStrictEqual([
      ['src', ['Title', 'Director', 'Release Date', 'US Gross', 'Worldwide Gross']],
      ['other', []],
      ['tidy', ['Title', 'Director', 'Release Date', 'US Gross', 'Worldwide Gross']],
      ['lost', []],
      ['hide', ['Title', 'Director', 'Release Date', 'US Gross', 'Worldwide Gross']],
      ['out_lost', []],
      ['gross', ['Title', 'Director', 'Release Date', 'US Gross', 'Worldwide Gross', 'abroad']],
      ['by_director', ['Director', 'abroad']],
      ['out', ['Director', 'abroad']],
    ]);
    expect(sinkNodes(nodes).map((node) => node.nodeId)).toStrictEqual(['out_lost', 'out']);
    expect(
      nodes.filter((node) => node.problem !== undefined).map((node) => [node.nodeId, node.problem]),
    ).toStrictEqual([
      [
        'other',
        'the run kept no schema of this source (a plan file, chunk files or a materializing consumer)',
      ],
      ['lost', 'the columns of input other are unknown'],
      ['out_lost', 'the columns of input lost are unknown'],
    ]);
  });

  it('traces an aggregate of a derived column to the source columns it reads', () => {
    const [trace] = traceFromEnds(nodes, 'abroad');

    expect(renderTrace(trace as NonNullable<typeof trace>)).toBe(
      [
        'out.abroad  (s3-parquet, direct)',
        '└─ by_director.abroad  (aggregate, aggregated)',
        '   └─ gross.abroad  (derive, derived)',
        '      ├─ hide."US Gross"  (mask, direct)',
        '      │  └─ tidy."US Gross"  (normalize, filtered)',
        '      │     └─ src."US Gross"  (s3-json, source)',
        '      └─ hide."Worldwide Gross"  (mask, direct)',
        '         └─ tidy."Worldwide Gross"  (normalize, filtered)',
        '            └─ src."Worldwide Gross"  (s3-json, source)',
        'sources: src."US Gross", src."Worldwide Gross"',
      ].join('\n'),
    );
  });

  it('marks a masked column derived from itself', () => {
    const [trace] = traceFromEnds(nodes, 'director');

    expect(trace && sourceColumns(trace)).toStrictEqual([{ nodeId: 'src', column: 'Director' }]);
    expect(nodes.find((node) => node.nodeId === 'hide')?.columns[1]?.kind).toBe('derived');
  });

  it('lists every column with its inputs in one table', () => {
    const table = renderLineageTable(nodes.filter((node) => node.nodeId === 'by_director'));

    expect(table).toMatch(/by_director\s+aggregate\s+Director\s+direct\s+gross\.Director/);
    expect(table).toMatch(/by_director\s+aggregate\s+abroad\s+aggregated\s+gross\.abroad/);
  });
});
