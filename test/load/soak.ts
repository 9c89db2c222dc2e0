/**
 * Soak (issue 10): the birdstrikes example run again and again through the
 * local runtime in this one process for SOAK_SECONDS (default 600), sampling
 * RSS after a forced GC and the active resources by type every
 * SOAK_SAMPLE_EVERY runs (default 5) from the end of the warm-up
 * (SOAK_WARMUP_RUNS, default 5). Every run must succeed with the first run's
 * counters, publishing the rows DuckDB counts straight from the file. Writes test/load/results/soak.json and regenerates
 * test/RELIABILITY.md.
 *
 *   node --expose-gc --import tsx test/load/soak.ts
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket, startLocalServices } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import type { NodeRun } from '../../shared/store/run-types.ts';
import { writeReliabilityReport } from './report.ts';
import { machine, REPO_ROOT, type SoakSample, writeResult } from './results.ts';
import { expectedRowsOut } from './soak-oracle.ts';
import { judgeSoak } from './soak-verdict.ts';

const INPUT = resolve(REPO_ROOT, '../shared/data/vega/birdstrikes.csv');
const PIPELINE = join(REPO_ROOT, 'examples/birdstrikes/pipeline.json');

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run node with --expose-gc: RSS is sampled after a forced GC');

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * RSS and resources once the event loop is quiet and the garbage collected.
 * The first and last samples wait `settleMs` first, past the emulators' 5 s
 * keep-alive timeout, so idle pooled sockets are closed and only leaks remain.
 */
async function sample(run: number, startedAt: number, gc: () => void, settleMs = 250): Promise<SoakSample> {
  await delay(settleMs);
  gc();
  gc();
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  const memory = process.memoryUsage();
  return {
    run,
    elapsedSeconds: Math.round((performance.now() - startedAt) / 1000),
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    resources,
    resourcesTotal: Object.values(resources).reduce((sum, count) => sum + count, 0),
  };
}

/** A run's counters, node by node, in one comparable string. */
function counters(nodes: readonly NodeRun[]): string {
  return [...nodes]
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
    .map((node) => `${node.nodeId}:${node.rowsIn}/${node.rowsOut}/${node.rowsRejected}/${node.rowsFiltered}`)
    .join(' ');
}

async function main(gc: () => void): Promise<void> {
  const seconds = envNumber('SOAK_SECONDS', 600);
  const warmupRuns = envNumber('SOAK_WARMUP_RUNS', 5);
  const sampleEvery = envNumber('SOAK_SAMPLE_EVERY', 5);
  const settleMs = envNumber('SOAK_SETTLE_MS', 6000);
  const machineBefore = machine();
  const scratch = await mkdtemp(join(tmpdir(), 'etl-soak-'));
  const services = await startLocalServices(join(scratch, 'data'));
  try {
    const pipeline = PipelineSchema.parse(JSON.parse(await readFile(PIPELINE, 'utf8')));
    await ensureBucket(services.s3, 'examples');
    await uploadFile(services.s3, INPUT, 'examples', 'birdstrikes/birdstrikes.csv');
    const expectedRows = await expectedRowsOut(INPUT, scratch);

    const samples: SoakSample[] = [];
    const durations: number[] = [];
    let firstCounters: string | undefined;
    let rowsOutPerRun = 0;
    let failedRuns = 0;
    let mismatchedRuns = 0;
    let runs = 0;
    const startedAt = performance.now();
    while (performance.now() - startedAt < seconds * 1000) {
      const result = await runPipelineLocally(pipeline, services, { organization: 'soak' });
      runs += 1;
      durations.push(result.durationMs);
      const rowsOut = result.nodes.find((node) => node.nodeId === 'curated')?.rowsOut ?? 0;
      if (result.run.status !== 'success') failedRuns += 1;
      else if (firstCounters === undefined) {
        firstCounters = counters(result.nodes);
        rowsOutPerRun = rowsOut;
      }
      if (
        result.run.status === 'success' &&
        (counters(result.nodes) !== firstCounters || rowsOut !== expectedRows)
      ) {
        mismatchedRuns += 1;
      }
      if (runs >= warmupRuns && (runs - warmupRuns) % sampleEvery === 0) {
        samples.push(await sample(runs, startedAt, gc, samples.length === 0 ? settleMs : 250));
        const last = samples.at(-1);
        console.error(
          `soak: run ${runs}, ${last?.elapsedSeconds} s, RSS ${last?.rssMb} MB, heap ${last?.heapUsedMb} MB, ${last?.resourcesTotal} resources`,
        );
      }
    }
    // The last sample, settled like the first: what is still open now was left open by the runs.
    samples.push(await sample(runs, startedAt, gc, settleMs));

    const result = judgeSoak({
      measuredAt: new Date().toISOString(),
      machineBefore,
      machineAfter: machine(),
      setup: {
        seconds,
        warmupRuns,
        sampleEvery,
        settleMs,
        pipeline: 'examples/birdstrikes/pipeline.json',
        input: 'shared/data/vega/birdstrikes.csv (1.2 MB)',
      },
      runs,
      failedRuns,
      mismatchedRuns,
      rowsOutPerRun,
      expectedRowsOut: expectedRows,
      durations,
      samples,
    });
    const path = await writeResult('soak', result);
    await writeReliabilityReport();
    console.log(`soak: ${result.verdict.pass ? 'PASS' : 'FAIL'} (${path})`);
    for (const reason of result.verdict.reasons) console.log(`  ${reason}`);
    if (!result.verdict.pass) process.exitCode = 1;
  } finally {
    await services.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main(collect);
