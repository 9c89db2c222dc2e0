/**
 * The data-plane benchmark: the reference pipeline through `etl run`'s local
 * runtime at 1 and 2 concurrent chunk workers (fused, the default, and at 2
 * workers unfused too), and DuckDB doing the same SQL in one process at
 * threads=1 and 2, in the same run on the same file. Every run's output is
 * checked against DuckDB's answer (row count and content hash, verify.ts).
 * Then the peak RSS of one chunk worker (a child process per replayed chunk
 * task) at 1x and 4x the input.
 *
 * Each engine runs `rounds` times, interleaved, and the median wall counts:
 * the machine is shared, and interleaving spreads its load over every engine.
 *
 *   npm run bench:dataplane -- [rows=1000000] [rounds=3]
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket, type LocalServices, startLocalServices } from '../../shared/runtime/local-services.ts';
import { type LocalRunResult, runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type PipelineInput, PipelineSchema } from '../../shared/spec/schema.ts';
import { generateReferenceCsv } from './generate.ts';
import { phaseDurations } from './phases.ts';
import { downloadRunOutput, fingerprintDataset, type OutputFingerprint, sameFingerprint } from './verify.ts';
import { measureWorkerRss } from './worker-rss.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
/** Chunk tasks replayed per stage for the worker RSS figures. */
const RSS_SAMPLES = 4;
const here = fileURLToPath(new URL('.', import.meta.url));

const directSql = (source: string, target: string) => `
  COPY (
    SELECT *, year(ts) AS year, month(ts) AS month FROM (
      SELECT * FROM read_csv('${source}', header = true, types = {'ts': 'TIMESTAMP'}) WHERE amount > 0
      QUALIFY row_number() OVER (PARTITION BY lower(trim(email)) ORDER BY id) = 1
    )
  ) TO '${target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year))`;

/**
 * Wall and CPU time of `work`. CPU is the whole process's, every thread
 * (DuckDB's, and for etl the emulators' and the interpreter's): on a 2-core
 * machine with both cores busy, CPU is what a faster wall must come out of.
 */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const value = await work();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    value,
  };
}

const document = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as PipelineInput;

/** The reference pipeline over `prefix` (input and output), with its execution settings overridden. */
function referencePipeline(prefix: string, execution: Record<string, unknown>) {
  const nodes = document.nodes.map((node) =>
    node.type === 'extractor' || node.type === 'loader'
      ? { ...node, config: { ...node.config, prefix } }
      : node,
  );
  return PipelineSchema.parse({ ...document, nodes, execution: { ...document.execution, ...execution } });
}

/** Fails the benchmark when an engine's output differs from the DuckDB answer: a wrong answer is no result. */
function assertSameOutput(engine: string, actual: OutputFingerprint, answer: OutputFingerprint): void {
  if (!sameFingerprint(actual, answer)) {
    throw new Error(
      `${engine}: output differs from DuckDB's answer (${actual.rows} rows, hash ${actual.contentHash}; ` +
        `expected ${answer.rows} rows, hash ${answer.contentHash})`,
    );
  }
}

/** One timed `etl run`, then (untimed) its published output checked against the DuckDB answer. */
async function etlRun(
  services: LocalServices,
  input: { readonly prefix: string; readonly answer: OutputFingerprint },
  workers: number,
  fuse: boolean,
) {
  const pipeline = referencePipeline(input.prefix, { max_concurrency: workers, fuse });
  const run = await timed(() => runPipelineLocally(pipeline, services));
  if (run.value.run.status !== 'success') throw new Error(`run failed: ${run.value.run.error?.message}`);
  const folder = join(scratchDir, `check-${run.value.runId}`);
  await downloadRunOutput(
    services.s3,
    { bucket: 'bench-out', prefix: input.prefix, runId: run.value.runId },
    folder,
  );
  assertSameOutput(`etl run (${workers} workers)`, await fingerprintDataset(folder), input.answer);
  await rm(folder, { recursive: true, force: true });
  return run;
}

function throughput({ ms, cpuMs }: { ms: number; cpuMs: number }, megabytes: number) {
  return {
    wallMs: ms,
    cpuMs,
    rowsPerSecond: Math.round(ROWS / (ms / 1000)),
    mbPerSecond: Number((megabytes / (ms / 1000)).toFixed(1)),
  };
}

async function etlResult(
  engine: string,
  run: { ms: number; cpuMs: number; value: LocalRunResult },
  megabytes: number,
) {
  return {
    engine,
    ...throughput(run, megabytes),
    // The whole benchmark process (emulators, interpreter and every worker): see workerRss for one worker.
    processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    phasesMs: await phaseDurations(run.value.definition, run.value.eventLogPath),
    nodes: Object.fromEntries(
      run.value.nodes.map((node) => [
        node.nodeId,
        { busyMs: node.durationMs, rowsOut: node.rowsOut, chunks: node.chunks },
      ]),
    ),
  };
}

/** DuckDB doing the reference work over the whole file in one query, into `target`; returns its wall and CPU. */
async function duckDbDirect(
  threads: number,
  source: string,
  target: string,
): Promise<{ ms: number; cpuMs: number }> {
  // Each round writes afresh: DuckDB refuses a partitioned COPY into a folder that has files.
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const run = await timed(() => connection.run(directSql(source, target)));
  connection.closeSync();
  instance.closeSync();
  return run;
}

/** The answer every engine's output must equal: DuckDB's, computed once (untimed) over the whole file. */
async function duckDbAnswer(source: string, target: string): Promise<OutputFingerprint> {
  await duckDbDirect(2, source, target);
  const answer = await fingerprintDataset(target);
  await rm(target, { recursive: true, force: true });
  return answer;
}

async function duckDbResult(threads: number, input: StagedInput) {
  const target = join(scratchDir, `direct-${threads}`);
  const run = await duckDbDirect(threads, input.source, target);
  assertSameOutput(`DuckDB threads=${threads}`, await fingerprintDataset(target), input.answer);
  return { engine: `DuckDB, threads=${threads}`, ...throughput(run, input.megabytes) };
}

interface StagedInput {
  readonly prefix: string;
  readonly source: string;
  readonly megabytes: number;
  readonly generateMs: number;
  readonly uploadMs: number;
  readonly answer: OutputFingerprint;
}

/**
 * Generates `rows` reference rows under `prefix` in the emulated bucket;
 * returns the file, its MB and the DuckDB answer over it.
 */
async function stageInput(services: LocalServices, prefix: string, rows: number): Promise<StagedInput> {
  const source = join(scratchDir, `${prefix}reference.csv`);
  await mkdir(join(scratchDir, prefix), { recursive: true });
  const generated = await timed(() => generateReferenceCsv(source, rows));
  const upload = await timed(() => uploadFile(services.s3, source, 'bench', `${prefix}reference.csv`));
  const answer = await duckDbAnswer(source, join(scratchDir, `answer-${rows}`));
  return {
    prefix,
    source,
    megabytes: generated.value / 1024 / 1024,
    generateMs: generated.ms,
    uploadMs: upload.ms,
    answer,
  };
}

/** The round with the median wall (its details kept whole), with every round's wall beside it. */
function medianResult(runs: Record<string, unknown>[]): Record<string, unknown> {
  const sorted = [...runs].sort((a, b) => Number(a.wallMs) - Number(b.wallMs));
  const median = sorted[Math.floor(sorted.length / 2)] ?? {};
  return { ...median, roundWallsMs: runs.map((run) => run.wallMs), roundCpuMs: runs.map((run) => run.cpuMs) };
}

const scratchDir = await mkdtemp(join(tmpdir(), 'etl-dataplane-'));
try {
  const startup = await timed(() => startLocalServices(join(scratchDir, 'data')));
  const services = startup.value;
  try {
    await ensureBucket(services.s3, 'bench');
    const input = await stageInput(services, 'reference/', ROWS);
    // The last fused 2-worker run: its chunk tasks are replayed for the worker RSS at 1x.
    let measured: { ms: number; cpuMs: number; value: LocalRunResult } | undefined;
    const engines: { name: string; run: () => Promise<Record<string, unknown>> }[] = [
      ...[1, 2].map((workers) => ({
        name: `etl run, ${workers} worker(s)`,
        run: async () => {
          const run = await etlRun(services, input, workers, true);
          if (workers === 2) measured = run;
          return etlResult(`etl run, ${workers} worker(s)`, run, input.megabytes);
        },
      })),
      {
        name: 'etl run, 2 worker(s), unfused',
        run: async () =>
          etlResult(
            'etl run, 2 worker(s), unfused',
            await etlRun(services, input, 2, false),
            input.megabytes,
          ),
      },
      ...[1, 2].map((threads) => ({
        name: `DuckDB, threads=${threads}`,
        run: () => duckDbResult(threads, input),
      })),
    ];
    const rounds = new Map<string, Record<string, unknown>[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const engine of engines)
        rounds.set(engine.name, [...(rounds.get(engine.name) ?? []), await engine.run()]);
    }
    const results = engines.map(({ name }) => medianResult(rounds.get(name) ?? []));
    const out = join(here, '..', 'results', `dataplane-${ROWS}.json`);
    // Saved before the RSS replays too: the side-by-side walls are the run's main result.
    await writeFile(out, `${JSON.stringify({ rows: ROWS, rounds: ROUNDS, results }, null, 2)}\n`);

    const workerRss: Record<string, unknown> = {};
    if (measured !== undefined) {
      const { definition, eventLogPath } = measured.value;
      workerRss['1x'] = {
        rows: ROWS,
        inputMb: Number(input.megabytes.toFixed(1)),
        stages: await measureWorkerRss(definition, eventLogPath, RSS_SAMPLES),
      };
    }
    const fourfold = await stageInput(services, 'reference-4x/', 4 * ROWS);
    const big = await etlRun(services, fourfold, 2, true);
    workerRss['4x'] = {
      rows: 4 * ROWS,
      inputMb: Number(fourfold.megabytes.toFixed(1)),
      verifiedOutput: fourfold.answer,
      wallMs: big.ms,
      stages: await measureWorkerRss(big.value.definition, big.value.eventLogPath, RSS_SAMPLES),
    };

    const figure = (engine: string, name: 'wallMs' | 'cpuMs') =>
      Number(results.find((result) => result.engine === engine)?.[name]);
    const ratio = (a: string, b: string, name: 'wallMs' | 'cpuMs' = 'wallMs') =>
      Number((figure(a, name) / figure(b, name)).toFixed(2));
    const report = {
      rows: ROWS,
      rounds: ROUNDS,
      inputMb: Number(input.megabytes.toFixed(1)),
      generateMs: input.generateMs,
      emulatorStartupMs: startup.ms,
      uploadMs: input.uploadMs,
      // The pipeline's own settings (bench/dataplane/pipeline.json); the rest are the platform's defaults.
      execution: document.execution,
      // Every run's output (etl and DuckDB, every round, and the 4x run) had exactly this row count and content hash.
      verifiedOutput: input.answer,
      results,
      ratios: {
        'etl 1 worker / DuckDB threads=1': ratio('etl run, 1 worker(s)', 'DuckDB, threads=1'),
        'etl 2 workers / DuckDB threads=2': ratio('etl run, 2 worker(s)', 'DuckDB, threads=2'),
        'etl 2 workers unfused / fused': ratio('etl run, 2 worker(s), unfused', 'etl run, 2 worker(s)'),
      },
      // CPU seconds of the same rounds: how much work each engine does, whatever the machine's cores.
      cpuRatios: {
        'etl 1 worker / DuckDB threads=1': ratio('etl run, 1 worker(s)', 'DuckDB, threads=1', 'cpuMs'),
        'etl 2 workers / DuckDB threads=2': ratio('etl run, 2 worker(s)', 'DuckDB, threads=2', 'cpuMs'),
      },
      workerRss,
    };
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await services.stop();
  }
} finally {
  await rm(scratchDir, { recursive: true, force: true });
}
