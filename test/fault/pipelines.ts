/**
 * The pipelines the scenarios run, over the team's real data, each ending in
 * a `fp` column (an md5 over the row's values, computed by the chunk worker's
 * DuckDB) and the SQL that computes the same rows with DuckDB straight over
 * the input file: the oracle of what the destination must hold.
 */
import { join } from 'node:path';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
import { SHARED_DATA } from '../integration/harness.ts';
import type { PipelineName } from './scenarios.ts';

export const SOURCE_BUCKET = 'raw';

interface PipelineShape {
  /** File under ../shared/data/vega, uploaded under `<name>/` in the source bucket. */
  readonly file: string;
  readonly extractor: { readonly module: 's3-csv' | 's3-json'; readonly config?: Record<string, unknown> };
  readonly chunkBytes: number;
  /** Chunk-local and barrier nodes between the extractor and the fingerprint, in order. */
  readonly transforms: readonly { readonly id: string; readonly module: string; readonly config: object }[];
  readonly fingerprint: string;
  /** The same rows, straight from the file: `{file}` is its path. */
  readonly expected: string;
  /** `execution.shuffle_buckets`, when the default (`auto`) does not suit the shape. */
  readonly shuffleBuckets?: number;
}

const STRIKES_FP =
  'md5(concat_ws(\'|\', "Airport Name", "Aircraft Make Model", "Flight Date", "Wildlife Species", "Phase of flight", "Cost Total $", "Speed IAS in knots"))';
const ZIP_FP = "md5(concat_ws('|', zip_code, latitude, longitude, city, state, county))";
const FLIGHTS_FP = "md5(concat_ws('|', origin, CAST(flights AS BIGINT), CAST(total_delay AS BIGINT)))";
const STRIKE_YEAR = 'year(CAST("Flight Date" AS DATE))';
const YEARS_FP = "md5(concat_ws('|', year, CAST(strikes AS BIGINT), CAST(total_cost AS BIGINT)))";

const SHAPES: Readonly<Record<PipelineName, PipelineShape>> = {
  // 1.2 MB, 10,000 rows in 3 chunks: a filter (rows_filtered) and a fingerprint, chunk-local only.
  strikes: {
    file: 'birdstrikes.csv',
    extractor: { module: 's3-csv' },
    chunkBytes: 450 * 1024,
    transforms: [
      { id: 'airborne', module: 'filter', config: { expression: '"Phase of flight" <> \'Parked\'' } },
    ],
    fingerprint: STRIKES_FP,
    expected: `SELECT ${STRIKES_FP} AS fp FROM read_csv('{file}') WHERE "Phase of flight" <> 'Parked'`,
  },
  // 2 MB, 42,000 rows with leading-zero zip codes, in 3 chunks.
  zipcodes: {
    file: 'zipcodes.csv',
    extractor: { module: 's3-csv' },
    chunkBytes: 720 * 1024,
    transforms: [],
    fingerprint: ZIP_FP,
    expected: `SELECT ${ZIP_FP} AS fp FROM read_csv('{file}')`,
  },
  // 1.8 MB JSON array (one chunk: arrays are not split), 20,000 flights: delayed ones counted
  // per origin through a barrier, whose shuffle and reduce Tasks are chunk workers too.
  'flights-by-origin': {
    file: 'flights-20k.json',
    extractor: { module: 's3-json' },
    chunkBytes: 256 * 1024,
    transforms: [
      { id: 'delayed', module: 'filter', config: { expression: 'delay > 0' } },
      {
        id: 'per_origin',
        module: 'aggregate',
        config: {
          group_by: ['origin'],
          aggregates: [
            { name: 'flights', function: 'count' },
            { name: 'total_delay', function: 'sum', expression: 'delay' },
          ],
        },
      },
    ],
    fingerprint: FLIGHTS_FP,
    // One chunk: `auto` would shuffle it into one bucket file, leaving no point for a crash
    // between bucket files, which resume-after-partial-shuffle.test.ts and the scenarios need.
    shuffleBuckets: 8,
    expected: `SELECT ${FLIGHTS_FP} AS fp FROM (SELECT origin, count(*) AS flights, sum(delay) AS total_delay FROM read_json('{file}') WHERE delay > 0 GROUP BY origin)`,
  },
  // birdstrikes.csv in 3 chunks through an aggregate barrier with `shuffle_buckets: auto` (the
  // default): each chunk spreads its years over 4 bucket files, the plan sizes the reduce.
  'strikes-by-year': {
    file: 'birdstrikes.csv',
    extractor: { module: 's3-csv' },
    chunkBytes: 450 * 1024,
    transforms: [
      { id: 'dated', module: 'derive', config: { columns: [{ name: 'year', expression: STRIKE_YEAR }] } },
      {
        id: 'per_year',
        module: 'aggregate',
        config: {
          group_by: ['year'],
          aggregates: [
            { name: 'strikes', function: 'count' },
            { name: 'total_cost', function: 'sum', expression: '"Cost Total $"' },
          ],
        },
      },
    ],
    fingerprint: YEARS_FP,
    expected: `SELECT ${YEARS_FP} AS fp FROM (SELECT ${STRIKE_YEAR} AS year, count(*) AS strikes, sum("Cost Total $") AS total_cost FROM read_csv('{file}') GROUP BY 1)`,
  },
};

export function sourceFile(name: PipelineName): string {
  return join(SHARED_DATA, SHAPES[name].file);
}

export function sourceKey(name: PipelineName): string {
  return `${name}/${SHAPES[name].file}`;
}

/** DuckDB SQL giving the rows (one `fp` each) the destination must hold. */
export function expectedRowsQuery(name: PipelineName): string {
  return SHAPES[name].expected.replaceAll('{file}', sourceFile(name));
}

export interface PipelineOptions {
  readonly name: PipelineName;
  readonly id: string;
  readonly loader: { readonly module: string; readonly config: Record<string, unknown> };
  readonly fuse: boolean;
  readonly taskTimeoutSeconds: number;
}

export function buildPipeline(options: PipelineOptions): Pipeline {
  const shape = SHAPES[options.name];
  const chain = [
    {
      id: 'source',
      type: 'extractor',
      module: shape.extractor.module,
      config: { bucket: SOURCE_BUCKET, prefix: `${options.name}/`, ...shape.extractor.config },
    },
    ...shape.transforms.map((node) => ({ ...node, type: 'transformer' })),
    {
      id: 'fingerprint',
      type: 'transformer',
      module: 'derive',
      config: { columns: [{ name: 'fp', expression: shape.fingerprint }] },
    },
    { id: 'only_fp', type: 'transformer', module: 'select', config: { columns: ['fp'] } },
    { id: 'dest', type: 'loader', module: options.loader.module, config: options.loader.config },
  ];
  return PipelineSchema.parse({
    id: options.id,
    name: `fault ${options.name}`,
    nodes: chain,
    edges: chain.slice(1).map((node, index) => ({ source: chain[index]?.id, target: node.id })),
    execution: {
      chunk_size_bytes: shape.chunkBytes,
      ...(shape.shuffleBuckets === undefined ? {} : { shuffle_buckets: shape.shuffleBuckets }),
      max_concurrency: 3,
      fuse: options.fuse,
      task_timeout_seconds: options.taskTimeoutSeconds,
      retries: { max_attempts: 2, interval_seconds: 1 },
    },
  });
}
