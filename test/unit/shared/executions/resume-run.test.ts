/** Whether a failed run's completed chunks can be reused under the current pipeline version. */
import { describe, expect, it } from 'vitest';
import { RerunNotPossibleError } from '../../../../shared/executions/errors.ts';
import { checkRerunCompatible } from '../../../../shared/executions/resume-run.ts';
import { type Pipeline, PipelineSchema } from '../../../../shared/spec/schema.ts';

function pipeline(
  overrides: {
    expression?: string;
    prefix?: string;
    chunkSize?: number;
    loader?: string;
    extra?: boolean;
  } = {},
): Pipeline {
  const loader =
    overrides.loader === 'postgres-load'
      ? { connection: 'warehouse', table: 'strikes' }
      : { bucket: 'lake', prefix: 'strikes/' };
  return PipelineSchema.parse({
    id: 'strikes',
    name: 'Strikes',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: overrides.prefix ?? 'in/' },
      },
      {
        id: 'calc',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'n', expression: overrides.expression ?? '1' }] },
      },
      ...(overrides.extra
        ? [{ id: 'keep', type: 'transformer', module: 'filter', config: { expression: 'n > 0' } }]
        : []),
      { id: 'out', type: 'loader', module: overrides.loader ?? 's3-parquet', config: loader },
    ],
    edges: overrides.extra
      ? [
          { source: 'src', target: 'calc' },
          { source: 'calc', target: 'keep' },
          { source: 'keep', target: 'out' },
        ]
      : [
          { source: 'src', target: 'calc' },
          { source: 'calc', target: 'out' },
        ],
    execution: { chunk_size_bytes: overrides.chunkSize ?? 1024 * 1024 },
  });
}

describe('checkRerunCompatible', () => {
  it('accepts a new version that changes a transform (the fix)', () => {
    expect(() =>
      checkRerunCompatible(pipeline({ expression: 'error(1)' }), pipeline({ expression: '2' })),
    ).not.toThrow();
  });

  it('fails when the extractor reads with another config, naming it', () => {
    expect(() => checkRerunCompatible(pipeline(), pipeline({ prefix: 'other/' }))).toThrow(
      /extractor src reads with another config/,
    );
  });

  it('fails when the chunk size changed', () => {
    expect(() => checkRerunCompatible(pipeline(), pipeline({ chunkSize: 2048 }))).toThrow(
      /chunk_size_bytes changed/,
    );
  });

  it('fails when nodes were added to the extractor stage', () => {
    expect(() => checkRerunCompatible(pipeline(), pipeline({ extra: true }))).toThrow(
      /the nodes fed by src changed \(src, calc, out -> src, calc, keep, out\)/,
    );
  });

  it('fails for a loader that stages in its destination database', () => {
    const sql = pipeline({ loader: 'postgres-load' });

    expect(() => checkRerunCompatible(sql, sql)).toThrow(RerunNotPossibleError);
    expect(() => checkRerunCompatible(sql, sql)).toThrow(
      /loader out \(postgres-load\) stages into its destination/,
    );
  });
});
