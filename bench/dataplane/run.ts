/**
 * The data-plane benchmark: the reference pipeline through `etl run`'s local
 * runtime at 1 and 2 concurrent chunk workers, and DuckDB doing the same SQL
 * in one process at threads=1 and 2, in the same run on the same file.
 *
 *   npm run bench:dataplane -- [rows=1000000]
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket, startLocalServices } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { generateReferenceCsv } from './generate.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const here = fileURLToPath(new URL('.', import.meta.url));

const directSql = (source: string, target: string) => `
  COPY (
    SELECT *, year(ts) AS year, month(ts) AS month FROM (
      SELECT * FROM read_csv('${source}', header = true, types = {'ts': 'TIMESTAMP'}) WHERE amount > 0
      QUALIFY row_number() OVER (PARTITION BY lower(trim(email)) ORDER BY id) = 1
    )
  ) TO '${target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year))`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

const scratch = await mkdtemp(join(tmpdir(), 'etl-dataplane-'));
try {
  const source = join(scratch, 'reference.csv');
  const generated = await timed(() => generateReferenceCsv(source, ROWS));
  const megabytes = generated.value / 1024 / 1024;

  const startup = await timed(() => startLocalServices(join(scratch, 'data')));
  const services = startup.value;
  const results: Record<string, unknown>[] = [];
  try {
    await ensureBucket(services.s3, 'bench');
    const upload = await timed(() => uploadFile(services.s3, source, 'bench', 'reference/reference.csv'));
    const document = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as { execution: object };
    for (const workers of [1, 2]) {
      const pipeline = PipelineSchema.parse({
        ...document,
        execution: { ...document.execution, max_concurrency: workers },
      });
      const run = await timed(() => runPipelineLocally(pipeline, services));
      if (run.value.run.status !== 'success') throw new Error(`run failed: ${run.value.run.error?.message}`);
      results.push({
        engine: `etl run, ${workers} worker(s)`,
        wallMs: run.ms,
        rowsPerSecond: Math.round(ROWS / (run.ms / 1000)),
        mbPerSecond: Number((megabytes / (run.ms / 1000)).toFixed(1)),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        stages: Object.fromEntries(
          run.value.nodes.map((node) => [
            node.nodeId,
            { busyMs: node.durationMs, rowsOut: node.rowsOut, chunks: node.chunks },
          ]),
        ),
      });
    }
    for (const threads of [1, 2]) {
      const target = join(scratch, `direct-${threads}`);
      await mkdir(target, { recursive: true });
      const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
      const connection = await instance.connect();
      const run = await timed(() => connection.run(directSql(source, target)));
      connection.closeSync();
      instance.closeSync();
      results.push({
        engine: `DuckDB, threads=${threads}`,
        wallMs: run.ms,
        rowsPerSecond: Math.round(ROWS / (run.ms / 1000)),
        mbPerSecond: Number((megabytes / (run.ms / 1000)).toFixed(1)),
      });
    }
    const wall = (engine: string) => Number(results.find((result) => result.engine === engine)?.wallMs);
    const report = {
      rows: ROWS,
      inputMb: Number(megabytes.toFixed(1)),
      generateMs: generated.ms,
      emulatorStartupMs: startup.ms,
      uploadMs: upload.ms,
      results,
      ratios: {
        'etl 1 worker / DuckDB threads=1': Number(
          (wall('etl run, 1 worker(s)') / wall('DuckDB, threads=1')).toFixed(2),
        ),
        'etl 2 workers / DuckDB threads=2': Number(
          (wall('etl run, 2 worker(s)') / wall('DuckDB, threads=2')).toFixed(2),
        ),
      },
    };
    const out = join(here, '..', 'results', `dataplane-${ROWS}.json`);
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await services.stop();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
