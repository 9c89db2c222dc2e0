/**
 * The loader suites' common pipeline: Seattle weather (2,922 rows, real data)
 * read by `s3-csv` in several chunks and written by the loaders under test,
 * optionally through a derive that fails on one row of the last chunk, so a
 * run fails after most chunks were staged and nothing must be published.
 */
import { join } from 'node:path';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { SHARED_DATA } from '../harness.ts';

export const WEATHER_SOURCE = join(SHARED_DATA, 'weather.csv');

/** The source's columns in their own types, so DuckDB's direct read and a destination compare alike. */
export const WEATHER_TYPED_COLUMNS = `location, CAST(date AS DATE) AS date, CAST(precipitation AS DOUBLE) AS precipitation,
  CAST(temp_max AS DOUBLE) AS temp_max, CAST(temp_min AS DOUBLE) AS temp_min, CAST(wind AS DOUBLE) AS wind, weather`;

/** A loader node: its module and its config fields side by side. */
export type LoaderNode = { readonly module: string } & Readonly<Record<string, unknown>>;

const FAILING_CHECK = {
  id: 'check',
  type: 'transformer',
  module: 'derive',
  config: {
    columns: [
      {
        name: 'wind',
        expression: "CASE WHEN date = DATE '2015-12-31' THEN CAST('x' AS DOUBLE) ELSE wind END",
      },
    ],
  },
};

/** `s3://<bucket>/source/` -> each loader (by node id), through the failing check when `failing`. */
export function weatherLoadPipeline(
  name: string,
  bucket: string,
  loaders: Readonly<Record<string, LoaderNode>>,
  failing = false,
): Pipeline {
  const upstream = failing ? 'check' : 'src';
  return PipelineSchema.parse({
    name,
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket, prefix: 'source/' } },
      ...(failing ? [FAILING_CHECK] : []),
      ...Object.entries(loaders).map(([id, { module, ...config }]) => ({
        id,
        type: 'loader',
        module,
        config,
      })),
    ],
    edges: [
      ...(failing ? [{ source: 'src', target: 'check' }] : []),
      ...Object.keys(loaders).map((id) => ({ source: upstream, target: id })),
    ],
    execution: { chunk_size_bytes: 24 * 1024, max_concurrency: 2, retries: { max_attempts: 0 } },
  });
}
