/**
 * A broadcast join on real data: Seattle and New York daily weather (the
 * facts, 2,922 rows in several chunks) enriched with the day's normal temperature, a
 * 365-row dimension aggregated from Seattle's hourly normals. The join
 * broadcasts the dimension to each weather chunk; rows and counters equal
 * the shuffle join's and DuckDB's over the whole files. 29 February has no
 * normal (the normals' year is not a leap year): those days stay unmatched.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';
import { joinStrategyOf } from './join-strategy.ts';

const WEATHER = join(SHARED_DATA, 'weather.csv');
const NORMALS = join(SHARED_DATA, 'seattle-weather-hourly-normals.csv');
const MONTH_DAY = "strftime(date, '%m-%d')";

function pipeline(strategy: 'auto' | 'shuffle') {
  return PipelineSchema.parse({
    name: `weather-normals-${strategy}`,
    nodes: [
      { id: 'weather', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'weather/' } },
      { id: 'normals', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'normals/' } },
      {
        id: 'weather_day',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'month_day', expression: MONTH_DAY }] },
      },
      {
        id: 'normals_day',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'month_day', expression: MONTH_DAY }] },
      },
      {
        id: 'daily_normals',
        type: 'transformer',
        module: 'aggregate',
        config: {
          group_by: ['month_day'],
          aggregates: [{ name: 'normal_temperature', function: 'avg', expression: 'temperature' }],
        },
      },
      {
        id: 'enriched',
        type: 'transformer',
        module: 'join',
        config: { type: 'left', strategy, on: [{ left: 'month_day', right: 'month_day' }] },
      },
      {
        id: 'out',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `weather-normals-${strategy}/` },
      },
    ],
    edges: [
      { source: 'weather', target: 'weather_day' },
      { source: 'normals', target: 'normals_day' },
      { source: 'normals_day', target: 'daily_normals' },
      { source: 'weather_day', target: 'enriched' },
      { source: 'daily_normals', target: 'enriched' },
      { source: 'enriched', target: 'out' },
    ],
    // Several chunks of weather (121 KB) and of hourly normals (311 KB).
    execution: { chunk_size_bytes: 40 * 1024, shuffle_buckets: 4 },
  });
}

const COLUMNS = 'location, date, weather, month_day, round(normal_temperature, 6) AS normal_temperature';

describe('broadcast join on weather and daily normals', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, WEATHER, 'raw', 'weather/weather.csv');
    await putLocalFile(env, NORMALS, 'raw', 'normals/normals.csv');
  });
  afterAll(() => env.close());

  it('broadcasts the dimension and matches the shuffle join and DuckDB, rows and counters', async () => {
    const broadcast = await runPipelineLocally(pipeline('auto'), env.services);
    const shuffled = await runPipelineLocally(pipeline('shuffle'), env.services);

    for (const result of [broadcast, shuffled]) {
      expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    }
    expect(await joinStrategyOf(env, broadcast.runId, 'enriched')).toBe('broadcast');
    expect(await joinStrategyOf(env, shuffled.runId, 'enriched')).toBe('none');
    const weatherChunks = broadcast.nodes.find((node) => node.nodeId === 'weather')?.chunks ?? 0;
    expect(weatherChunks).toBeGreaterThan(1);
    // One task per weather chunk, plus the settle step's record of the dimension.
    expect(broadcast.nodes.find((node) => node.nodeId === 'enriched')?.chunks).toBe(weatherChunks + 1);

    const counters = (result: typeof broadcast) => {
      const node = result.nodes.find((candidate) => candidate.nodeId === 'enriched');
      return { rowsIn: node?.rowsIn, rowsOut: node?.rowsOut, rowsFiltered: node?.rowsFiltered };
    };
    // 2 x 1,461 days + 365 daily normals in; out: every day; filtered: the normals no day matched (none).
    expect(counters(broadcast)).toStrictEqual({ rowsIn: 2922 + 365, rowsOut: 2922, rowsFiltered: 0 });
    expect(counters(shuffled)).toStrictEqual(counters(broadcast));

    const read = (strategy: string) =>
      queryDataset(
        env,
        'lake',
        `weather-normals-${strategy}/`,
        `SELECT ${COLUMNS} FROM dataset ORDER BY ALL`,
      );
    const wanted = await queryDirectly(
      `SELECT ${COLUMNS} FROM (
         SELECT w.*, ${MONTH_DAY.replace('date', 'w.date')} AS month_day, n.normal_temperature
         FROM read_csv('${WEATHER}') AS w
         LEFT JOIN (SELECT ${MONTH_DAY} AS month_day, avg(temperature) AS normal_temperature
                    FROM read_csv('${NORMALS}') GROUP BY ALL) AS n
         ON ${MONTH_DAY.replace('date', 'w.date')} = n.month_day)
       ORDER BY ALL`,
    );
    expect(wanted.filter((row) => row.normal_temperature === null).length).toBe(2);
    expect(await read('auto')).toStrictEqual(wanted);
    expect(await read('shuffle')).toStrictEqual(wanted);
  }, 300_000);
});
