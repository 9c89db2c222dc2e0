/** Kinds of concurrent run over the team's data sets: weather into PostgreSQL, zipcodes through a barrier into Parquet. */
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { queryDataset, queryDirectly } from '../integration/harness.ts';
import { asNumber, asText, INPUTS, oneRow, type RunKind } from './concurrent-kind.ts';

const WEATHER_CSV = INPUTS[2].path;
const ZIPCODES_CSV = INPUTS[3].path;

const weatherTable = (index: number) => `weather_${index}`;

/** Seattle and New York daily weather: the rainy days, loaded into a PostgreSQL table of the run's own. */
export const weather: RunKind = {
  name: 'weather-postgres',
  async pipeline(index, { postgres, postgresConnection }) {
    return PipelineSchema.parse({
      name: `concurrent-weather-${index}`,
      nodes: [
        { id: 'days', type: 'extractor', module: 's3-csv', config: { bucket: 'inputs', prefix: 'weather/' } },
        { id: 'rainy', type: 'transformer', module: 'filter', config: { expression: 'precipitation > 0' } },
        {
          id: 'table',
          type: 'loader',
          module: 'postgres-load',
          config: { connection: postgresConnection, schema: postgres.schema, table: weatherTable(index) },
        },
      ],
      edges: [
        { source: 'days', target: 'rainy' },
        { source: 'rainy', target: 'table' },
      ],
      // Small chunks: the file (1,461 rows, 58 KB) is staged in several parallel chunks.
      execution: { chunk_size_bytes: 16_384, max_concurrency: 4 },
    });
  },
  async oracle() {
    const source = `read_csv('${WEATHER_CSV}', header = true)`;
    const read = await oneRow(
      queryDirectly(`SELECT count(*)::INTEGER AS n FROM ${source}`),
      'weather oracle',
    );
    const rainy = await oneRow(
      queryDirectly(
        `SELECT count(*)::INTEGER AS n, round(sum(precipitation), 1)::VARCHAR || '/' || count(DISTINCT date)::VARCHAR AS checksum FROM ${source} WHERE precipitation > 0`,
      ),
      'weather oracle',
    );
    return {
      rowsRead: asNumber(read.n),
      outputs: { table: { rows: asNumber(rainy.n), checksum: asText(rainy.checksum) } },
    };
  },
  async destination(index, { postgres }) {
    const [row] = await postgres.query<[number, string]>(
      `SELECT count(*)::int, round(sum(precipitation)::numeric, 1)::text || '/' || count(DISTINCT date)::text FROM ${postgres.schema}.${weatherTable(index)}`,
    );
    return { table: { rows: Number(row?.[0]), checksum: String(row?.[1]) } };
  },
};

/** US postal codes (leading zeros kept as text) grouped by state: a barrier stage, then Parquet. */
export const zipcodes: RunKind = {
  name: 'zipcodes-aggregate-parquet',
  async pipeline(index) {
    return PipelineSchema.parse({
      name: `concurrent-zipcodes-${index}`,
      nodes: [
        {
          id: 'codes',
          type: 'extractor',
          module: 's3-csv',
          config: { bucket: 'inputs', prefix: 'zipcodes/', columns: { zip_code: 'VARCHAR' } },
        },
        {
          id: 'by_state',
          type: 'transformer',
          module: 'aggregate',
          config: {
            group_by: ['state'],
            aggregates: [
              { name: 'codes', function: 'count' },
              { name: 'first_code', function: 'min', expression: 'zip_code' },
            ],
          },
        },
        {
          id: 'states',
          type: 'loader',
          module: 's3-parquet',
          config: { bucket: 'curated', prefix: `concurrent/${index}/zipcodes/` },
        },
      ],
      edges: [
        { source: 'codes', target: 'by_state' },
        { source: 'by_state', target: 'states' },
      ],
      execution: { chunk_size_bytes: 262_144, max_concurrency: 4 },
    });
  },
  async oracle() {
    const source = `read_csv('${ZIPCODES_CSV}', header = true, types = {'zip_code': 'VARCHAR'})`;
    const read = await oneRow(
      queryDirectly(`SELECT count(*)::INTEGER AS n FROM ${source}`),
      'zipcodes oracle',
    );
    const states = await oneRow(
      queryDirectly(
        `SELECT count(*)::INTEGER AS n, sum(codes)::VARCHAR || '/' || string_agg(first_code, ',' ORDER BY state) AS checksum FROM (SELECT state, count(*) AS codes, min(zip_code) AS first_code FROM ${source} GROUP BY state)`,
      ),
      'zipcodes oracle',
    );
    return {
      rowsRead: asNumber(read.n),
      outputs: { states: { rows: asNumber(states.n), checksum: asText(states.checksum) } },
    };
  },
  async destination(index, { env }) {
    const row = await oneRow(
      queryDataset(
        env,
        'curated',
        `concurrent/${index}/zipcodes/`,
        `SELECT count(*)::INTEGER AS n, sum(codes)::VARCHAR || '/' || string_agg(first_code, ',' ORDER BY state) AS checksum FROM dataset`,
      ),
      'zipcodes destination',
    );
    return { states: { rows: asNumber(row.n), checksum: asText(row.checksum) } };
  },
};
