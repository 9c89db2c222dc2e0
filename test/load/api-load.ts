/**
 * API load (issue 10): `etl serve` in this process on 127.0.0.1 with 1,000
 * pipelines and a few finished runs stored, driven from a second process
 * (load-generator.ts, autocannon) at a fixed rate with mixed reads and writes.
 * Writes test/load/results/load.json and regenerates test/RELIABILITY.md.
 *
 *   tsx test/load/api-load.ts   (LOAD_RPS=500 LOAD_SECONDS=60 LOAD_CONNECTIONS=100)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { loadOrCreateLocalKey } from '../../shared/auth/local-key.ts';
import { signLocalToken } from '../../shared/auth/local-tokens.ts';
import { startServe } from '../../shared/serve/serve.ts';
import type { GeneratorConfig, GeneratorOutput } from './load-generator.ts';
import { judgeLoad } from './load-verdict.ts';
import { writeReliabilityReport } from './report.ts';
import { machine, REPO_ROOT, writeResult } from './results.ts';
import { seedPipelines, seedRuns } from './seed.ts';

const GENERATOR = join(REPO_ROOT, 'test/load/load-generator.ts');
const INPUT = resolve(REPO_ROOT, '../shared/data/vega/birdstrikes.csv');
const ORG = 'acme';
const PIPELINES = 1000;
const RUNS = 3;

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Runs the generator in a child process: it never shares the server's event loop. */
async function generate(config: GeneratorConfig): Promise<GeneratorOutput> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', GENERATOR], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOAD_GENERATOR_CONFIG: JSON.stringify(config) },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as GeneratorOutput;
}

async function main(): Promise<void> {
  const rps = envNumber('LOAD_RPS', 500);
  const seconds = envNumber('LOAD_SECONDS', 60);
  const connections = envNumber('LOAD_CONNECTIONS', 100);
  const machineBefore = machine();
  const scratch = await mkdtemp(join(tmpdir(), 'etl-load-'));
  // Every error the API logs (each 500 it answers) is counted, not only those the generator saw.
  let serverErrors = 0;
  const server = await startServe({
    dataDir: join(scratch, 'data'),
    port: 0,
    triggers: false,
    logger: {
      info: () => undefined,
      error: (message, extra) => {
        serverErrors += 1;
        console.error(message, extra);
      },
    },
  });
  try {
    const example = JSON.parse(
      await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'),
    ) as Record<string, unknown>;
    const ids = await seedPipelines(server, ORG, example, PIPELINES);
    const runIds = await seedRuns(server, ORG, INPUT, ids[0] ?? '', RUNS);
    const token = await signLocalToken(await loadOrCreateLocalKey(server.services.dataDir), {
      user: 'load',
      org: ORG,
      role: 'developer',
    });
    console.error(`load: ${ids.length} pipelines, ${runIds.length} runs; ${rps} req/s for ${seconds} s`);
    // The last 2 x connections pipelines are saved (never two saves of one at once); the others only read.
    const writerIds = ids.slice(-2 * connections);
    const output = await generate({
      url: server.url,
      token,
      rps,
      seconds,
      connections,
      readIds: ids.slice(0, -writerIds.length),
      writerIds,
      runIds,
      pipeline: example,
    });
    // The generator stops at the end of its window with requests still in flight: let them end before
    // the emulators stop under them, so what they answer is counted too.
    await delay(5000);
    const result = judgeLoad({
      measuredAt: new Date().toISOString(),
      machineBefore,
      machineAfter: machine(),
      setup: {
        pipelines: ids.length,
        seededRuns: runIds.length,
        targetRps: rps,
        seconds,
        connections,
        writerPipelines: writerIds.length,
        loadGenerator: 'autocannon (API, `overallRate`) in a second process on loopback',
      },
      output,
      serverErrors,
    });
    const path = await writeResult('load', result);
    await writeReliabilityReport();
    console.log(`load: ${result.verdict.pass ? 'PASS' : 'FAIL'} (${path})`);
    for (const reason of result.verdict.reasons) console.log(`  ${reason}`);
    if (!result.verdict.pass) process.exitCode = 1;
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
