/**
 * window, pivot, unpivot, lookup and flatten on the local runtime, over real
 * data read in one chunk and in several: each output equals what DuckDB
 * computes directly over the whole input.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';

const WEATHER = join(SHARED_DATA, 'weather.csv');
const NESTED = fileURLToPath(new URL('../../fixtures/flatten/zipcodes-by-state.ndjson', import.meta.url));
// Decimals, so sums and averages are exact whatever order the rows meet in.
const TYPES = {
  date: 'DATE',
  precipitation: 'DECIMAL(6,1)',
  temp_max: 'DECIMAL(5,1)',
  temp_min: 'DECIMAL(5,1)',
  wind: 'DECIMAL(5,1)',
};
const WEATHER_SQL = `(SELECT *, row_number() OVER () AS r FROM read_csv(${sqlString(WEATHER)}, types = ${JSON.stringify(TYPES).replaceAll('"', "'")}))`;
const PIVOTED = ['drizzle', 'rain', 'sun', 'snow', 'fog'];

const loader = (id: string, prefix: string) => ({
  id: `out_${id}`,
  type: 'loader' as const,
  module: 's3-parquet',
  config: { bucket: 'lake', prefix: `${prefix}${id}/` },
});

function pipeline(chunkSizeBytes: number, prefix: string): Pipeline {
  const ids = ['win', 'piv', 'unp', 'look', 'flat'];
  return PipelineSchema.parse({
    name: 'reshape',
    nodes: [
      {
        id: 'weather',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'weather/', columns: TYPES },
      },
      {
        id: 'nested',
        type: 'extractor',
        module: 's3-json',
        config: { bucket: 'raw', prefix: 'zips/', format: 'ndjson' },
      },
      {
        id: 'win',
        type: 'transformer',
        module: 'window',
        config: {
          partition_by: ['location'],
          order_by: [{ expression: 'temp_max', descending: true }],
          functions: [
            { name: 'rn', function: 'row_number' },
            { name: 'rk', function: 'rank' },
            { name: 'drk', function: 'dense_rank' },
            { name: 'prev_max', function: 'lag', expression: 'temp_max' },
            { name: 'next2_precip', function: 'lead', expression: 'precipitation', offset: 2 },
            { name: 'run_precip', function: 'running_sum', expression: 'precipitation' },
            { name: 'run_avg', function: 'running_avg', expression: 'temp_max' },
            { name: 'run_min', function: 'running_min', expression: 'temp_min' },
            { name: 'run_max', function: 'running_max', expression: 'wind' },
            { name: 'run_n', function: 'running_count' },
          ],
        },
      },
      {
        id: 'piv',
        type: 'transformer',
        module: 'pivot',
        config: { group_by: ['location'], column: 'weather', values: PIVOTED, expression: 'precipitation' },
      },
      {
        id: 'unp',
        type: 'transformer',
        module: 'unpivot',
        config: {
          columns: ['temp_max', 'temp_min', 'wind'],
          name_column: 'measure',
          value_column: 'reading',
        },
      },
      {
        id: 'look',
        type: 'transformer',
        module: 'lookup',
        config: {
          bucket: 'ref',
          key: 'cities/cities.csv',
          on: [{ column: 'location', reference: 'city' }],
          columns: ['state', 'latitude', 'zips'],
          prefix: 'city_',
        },
      },
      { id: 'flat', type: 'transformer', module: 'flatten', config: {} },
      ...ids.map((id) => loader(id, prefix)),
    ],
    edges: [
      ...['win', 'piv', 'unp', 'look'].map((id) => ({ source: 'weather', target: id })),
      { source: 'nested', target: 'flat' },
      ...ids.map((id) => ({ source: id, target: `out_${id}` })),
    ],
    execution: { chunk_size_bytes: chunkSizeBytes, shuffle_buckets: 3 },
  });
}

const over = (partition: string, frame = '') =>
  `OVER (PARTITION BY location ORDER BY temp_max DESC NULLS LAST${partition}${frame})`;
const RUNNING = ', r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';

const ORACLES = {
  win: {
    columns:
      'location, date, rn, rk, drk, prev_max, next2_precip, run_precip, run_avg, run_min, run_max, run_n',
    sql: `SELECT location, date, row_number() ${over(', r')} AS rn, rank() ${over('')} AS rk,
            dense_rank() ${over('')} AS drk, lag(temp_max, 1) ${over(', r')} AS prev_max,
            lead(precipitation, 2) ${over(', r')} AS next2_precip, sum(precipitation) ${over(RUNNING)} AS run_precip,
            avg(temp_max) ${over(RUNNING)} AS run_avg, min(temp_min) ${over(RUNNING)} AS run_min,
            max(wind) ${over(RUNNING)} AS run_max, count(*) ${over(RUNNING)} AS run_n FROM ${WEATHER_SQL}`,
  },
  piv: {
    columns: `location, ${PIVOTED.join(', ')}`,
    sql: `SELECT location, ${PIVOTED.map((v) => `sum(precipitation) FILTER (WHERE weather = '${v}') AS ${v}`).join(', ')}
          FROM ${WEATHER_SQL} WHERE weather IN (${PIVOTED.map((v) => `'${v}'`).join(', ')}) GROUP BY location`,
  },
  unp: {
    columns: 'location, date, precipitation, weather, measure, reading',
    sql: `UNPIVOT (SELECT * EXCLUDE (r) FROM ${WEATHER_SQL}) ON temp_max, temp_min, wind INTO NAME measure VALUE reading`,
  },
  look: {
    columns: 'location, date, weather, city_state, city_latitude, city_zips',
    sql: `SELECT w.*, c.state AS city_state, c.latitude AS city_latitude, c.zips AS city_zips FROM ${WEATHER_SQL} AS w
          LEFT JOIN (SELECT * FROM (SELECT *, row_number() OVER () AS n FROM read_csv('REFERENCE'))
                     QUALIFY row_number() OVER (PARTITION BY city ORDER BY n) = 1) AS c
          ON w.location = c.city`,
  },
  flat: {
    columns:
      'state, counties::BIGINT AS counties, cities_city, cities_location_latitude, cities_location_longitude, cities_zips',
    sql: `SELECT state, counties, c.city AS cities_city, c.location.latitude AS cities_location_latitude,
            c.location.longitude AS cities_location_longitude, unnest(c.zips) AS cities_zips
          FROM (SELECT state, counties, unnest(cities) AS c FROM read_json(${sqlString(NESTED)}, format = 'newline_delimited'))`,
  },
} as const;

describe('reshaping and enrichment over real data', () => {
  let env: TestEnvironment;
  let reference: string;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, WEATHER, 'raw', 'weather/weather.csv');
    await putLocalFile(env, NESTED, 'raw', 'zips/zipcodes-by-state.ndjson');
    // The reference: cities of two states from the real zip code list, one row per city and state.
    reference = join(env.scratch, 'cities.csv');
    await queryDirectly(
      `COPY (SELECT city, state, round(avg(latitude), 4) AS latitude, count(*) AS zips
             FROM read_csv(${sqlString(join(SHARED_DATA, 'zipcodes.csv'))}, all_varchar = true, types = {'latitude': 'DOUBLE'})
             WHERE state IN ('WA', 'NY') GROUP BY city, state ORDER BY state, city) TO ${sqlString(reference)} (HEADER)`,
    );
    await putLocalFile(env, reference, 'ref', 'cities/cities.csv');
  });
  afterAll(() => env.close());

  it.each([
    ['one chunk', 64 * 1024 * 1024, 1],
    ['several chunks', 16 * 1024, 5],
  ])('match DuckDB over the whole input in %s', async (_label, chunkSize, minChunks) => {
    const prefix = `c${chunkSize}/`;
    const result = await runPipelineLocally(pipeline(chunkSize, prefix), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const chunks = (id: string) => result.nodes.find((node) => node.nodeId === id)?.chunks ?? 0;
    expect(chunks('weather')).toBeGreaterThanOrEqual(minChunks);
    expect(chunks('nested')).toBeGreaterThanOrEqual(Math.min(minChunks, 4));
    // unpivot and flatten multiply rows: filtered counts only input rows that gave none, never negative.
    const [unpivoted] = await queryDirectly(
      `SELECT count(*) FILTER (WHERE temp_max IS NULL AND temp_min IS NULL AND wind IS NULL)::INTEGER AS none,
              (count(temp_max) + count(temp_min) + count(wind))::INTEGER AS values FROM ${WEATHER_SQL}`,
    );
    const unp = result.nodes.find((node) => node.nodeId === 'unp');
    expect([unp?.rowsFiltered, unp?.rowsOut]).toStrictEqual([unpivoted?.none, unpivoted?.values]);
    expect(result.nodes.find((node) => node.nodeId === 'flat')?.rowsFiltered).toBe(0);
    for (const [id, oracle] of Object.entries(ORACLES)) {
      const actual = await queryDataset(
        env,
        'lake',
        `${prefix}${id}/`,
        `SELECT ${oracle.columns} FROM dataset ORDER BY ALL`,
      );
      const sql = oracle.sql.replace("'REFERENCE'", sqlString(reference));
      const wanted = await queryDirectly(`SELECT ${oracle.columns} FROM (${sql}) ORDER BY ALL`);
      expect(actual.length, id).toBeGreaterThan(0);
      expect(actual, `${id} over ${chunks('weather')} chunks`).toStrictEqual(wanted);
    }
  });
});
