/** Kinds of concurrent run built on the examples: birdstrikes (CSV, a parameter, Parquet by year) and movies (JSON, a fork). */
import { loadExample, queryDataset, queryDirectly, withNodeConfig } from '../integration/harness.ts';
import { asNumber, asText, INPUTS, oneRow, type RunKind } from './concurrent-kind.ts';

const BIRDSTRIKES_CSV = INPUTS[0].path;
const MOVIES_JSON = INPUTS[1].path;

/** The birdstrikes example (CSV in 5 chunks, filter with a parameter, Parquet by year), at a given `min_cost`. */
export function birdstrikes(name: string, minCost: number): RunKind {
  const prefix = (index: number) => `concurrent/${index}/birdstrikes/`;
  const figures = `count(*)::INTEGER AS n, round(sum(cost), 2)::VARCHAR || '/' || string_agg(DISTINCT year::VARCHAR, ',' ORDER BY year::VARCHAR) AS checksum`;
  return {
    name,
    parameters: { min_cost: minCost },
    async pipeline(index) {
      return withNodeConfig(await loadExample('birdstrikes'), 'curated', {
        bucket: 'curated',
        prefix: prefix(index),
      });
    },
    async oracle() {
      const read = await oneRow(
        queryDirectly(`SELECT count(*)::INTEGER AS n FROM read_csv('${BIRDSTRIKES_CSV}', header = true)`),
        'birdstrikes oracle',
      );
      const kept = await oneRow(
        queryDirectly(
          `SELECT ${figures} FROM (SELECT "Cost Total $" AS cost, year("Flight Date"::DATE) AS year FROM read_csv('${BIRDSTRIKES_CSV}', header = true) WHERE "Cost Total $" >= ${minCost})`,
        ),
        'birdstrikes oracle',
      );
      return {
        rowsRead: asNumber(read.n),
        outputs: { curated: { rows: asNumber(kept.n), checksum: asText(kept.checksum) } },
      };
    },
    async destination(index, { env }) {
      const row = await oneRow(
        queryDataset(
          env,
          'curated',
          prefix(index),
          `SELECT ${figures} FROM (SELECT cost_usd AS cost, year FROM dataset)`,
        ),
        `curated/${prefix(index)}`,
      );
      return { curated: { rows: asNumber(row.n), checksum: asText(row.checksum) } };
    },
  };
}

/** The movies example: JSON with nulls and mixed-type titles, forked into two Parquet loaders. */
export const movies: RunKind = {
  name: 'movies-fork-parquet',
  async pipeline(index) {
    const example = await loadExample('movies');
    const all = withNodeConfig(example, 'all_films', { prefix: `concurrent/${index}/movies/all/` });
    return withNodeConfig(all, 'big_hits', { prefix: `concurrent/${index}/movies/hits/` });
  },
  async oracle() {
    const source = `read_json('${MOVIES_JSON}')`;
    const read = await oneRow(queryDirectly(`SELECT count(*)::INTEGER AS n FROM ${source}`), 'movies oracle');
    const rated = `SELECT "Worldwide Gross" - "Production Budget" AS profit FROM ${source} WHERE "IMDB Rating" IS NOT NULL AND "Production Budget" > 0`;
    const all = await oneRow(
      queryDirectly(`SELECT count(*)::INTEGER AS n, sum(profit)::VARCHAR AS checksum FROM (${rated})`),
      'movies oracle',
    );
    const hits = await oneRow(
      queryDirectly(
        `SELECT count(*)::INTEGER AS n, sum(profit)::VARCHAR AS checksum FROM (${rated}) WHERE profit > 100000000`,
      ),
      'movies oracle',
    );
    return {
      rowsRead: asNumber(read.n),
      outputs: {
        all_films: { rows: asNumber(all.n), checksum: asText(all.checksum) },
        big_hits: { rows: asNumber(hits.n), checksum: asText(hits.checksum) },
      },
    };
  },
  async destination(index, { env }) {
    const figures = 'SELECT count(*)::INTEGER AS n, sum(profit)::VARCHAR AS checksum FROM dataset';
    const all = await oneRow(
      queryDataset(env, 'curated', `concurrent/${index}/movies/all/`, figures),
      'movies all',
    );
    const hits = await oneRow(
      queryDataset(env, 'curated', `concurrent/${index}/movies/hits/`, figures),
      'movies hits',
    );
    return {
      all_films: { rows: asNumber(all.n), checksum: asText(all.checksum) },
      big_hits: { rows: asNumber(hits.n), checksum: asText(hits.checksum) },
    };
  },
};
