/**
 * The local loop, side by side in one process: the birdstrikes example run
 * through the whole local runtime (ASL interpreter, emulators, one DuckDB per
 * chunk and node) against the same computation as one DuckDB query on the
 * file. The ratio is the price of the platform's frame on one laptop.
 *
 *   npm run bench
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uploadFile } from '../shared/aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../shared/duckdb/engine.ts';
import { ensureBucket, startLocalServices } from '../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../shared/runtime/run-local.ts';
import { PipelineSchema } from '../shared/spec/schema.ts';

const ROUNDS = 5;
const root = fileURLToPath(new URL('../', import.meta.url));
const source = join(root, 'examples/birdstrikes/data/birdstrikes.csv');
const example = PipelineSchema.parse(
  JSON.parse(await readFile(join(root, 'examples/birdstrikes/pipeline.json'), 'utf8')),
);

const direct = `
  CREATE MACRO token(v) AS CASE WHEN trim(v, ' \t\r\n') IN ('', 'N/A', 'Unknown') THEN NULL ELSE trim(v, ' \t\r\n') END;
  COPY (
    SELECT "Flight Date" AS flight_date, year("Flight Date") AS year, token("Airport Name") AS airport,
           upper(token("Origin State")) AS state, token("Wildlife Species") AS species,
           token("Effect Amount of damage") AS damage, "Cost Total $" AS cost_usd,
           round("Cost Total $" / nullif("Speed IAS in knots", 0), 2) AS cost_per_knot
    FROM read_csv('${source}', types = {'Flight Date': 'DATE'}) WHERE "Cost Total $" >= 1
  ) TO '__OUT__' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), OVERWRITE_OR_IGNORE)`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const scratch = await mkdtemp(join(tmpdir(), 'etl-bench-'));
const services = await startLocalServices(join(scratch, 'data'));
try {
  await ensureBucket(services.s3, 'examples');
  await uploadFile(services.s3, source, 'examples', 'birdstrikes/birdstrikes.csv');
  const platform: number[] = [];
  const duckdb: number[] = [];
  let chunks = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const result = await runPipelineLocally(example, services);
    platform.push(performance.now() - started);
    if (result.run.status !== 'success') throw new Error(`run failed: ${result.run.error?.message}`);
    chunks = result.nodes.find((node) => node.nodeId === 'strikes')?.chunks ?? 0;

    const directStarted = performance.now();
    await withDuckDb({ workDir: scratch }, (connection) =>
      queryRows(connection, direct.replace('__OUT__', join(scratch, `direct-${round}`))),
    );
    duckdb.push(performance.now() - directStarted);
  }
  const p = median(platform);
  const d = median(duckdb);
  console.log(`birdstrikes example, ${chunks} chunks x 6 nodes, median of ${ROUNDS} rounds:`);
  console.log(`  local runtime  ${p.toFixed(0)} ms`);
  console.log(`  DuckDB direct  ${d.toFixed(0)} ms`);
  console.log(`  ratio          ${(p / d).toFixed(1)}x`);
} finally {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
}
