/**
 * API load benchmark (issue 7): `etl serve` in this process with 1,000
 * pipelines in the store and one finished run of the birdstrikes example,
 * then autocannon from a second process on loopback against
 * `GET /api/pipelines` (first page, 25) and `GET /api/runs/{runId}`.
 * Writes bench/results/api-load.json and prints a markdown table.
 *
 *   tsx bench/api/load.ts [--seconds 10] [--connections 10] [--pipelines 1000]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { loadOrCreateLocalKey } from '../../shared/auth/local-key.ts';
import { signLocalToken } from '../../shared/auth/local-tokens.ts';
import { createDynamoDbClient } from '../../shared/aws/clients.ts';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket } from '../../shared/runtime/local-services.ts';
import { startServe } from '../../shared/serve/serve.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { PipelineStore } from '../../shared/store/pipeline-store.ts';
import { RunStore } from '../../shared/store/run-store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');
const ORG = 'acme';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

interface Measured {
  readonly route: string;
  readonly requests: number;
  readonly non2xx: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** autocannon in a child process: the load generator never shares the server's event loop. */
async function load(
  route: string,
  url: string,
  token: string,
  seconds: number,
  connections: number,
): Promise<Measured> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      AUTOCANNON,
      '-j',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      '-H',
      `authorization=Bearer ${token}`,
      url,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${route}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return {
    route,
    requests: result.requests.total,
    non2xx: result.non2xx,
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const connections = option('connections', 10);
  const pipelines = option('pipelines', 1000);
  const scratch = await mkdtemp(join(tmpdir(), 'etl-bench-api-'));
  const server = await startServe({
    dataDir: join(scratch, 'data'),
    port: 0,
    triggers: false,
    logger: { info: () => undefined, error: (message) => console.error(message) },
  });
  try {
    const { env, s3 } = server.services;
    const client = createDynamoDbClient(env);
    const example = JSON.parse(await readFile(join(ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
    const store = new PipelineStore(client, env.metadataTable, ORG);
    const seededAt = performance.now();
    for (let start = 0; start < pipelines; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, pipelines - start) }, (_, offset) => {
          const id = `pipeline-${String(start + offset).padStart(4, '0')}`;
          return store.create(
            id,
            PipelineSchema.parse({ ...example, id, name: `${example.name} ${id}` }),
            'bench',
          );
        }),
      );
    }
    const seedSeconds = (performance.now() - seededAt) / 1000;

    // One real run, so GET /runs/{runId} reads a run with its six nodes as recorded.
    await ensureBucket(s3, 'examples');
    await uploadFile(
      s3,
      join(ROOT, 'examples/birdstrikes/data/birdstrikes.csv'),
      'examples',
      'birdstrikes/birdstrikes.csv',
    );
    const runId = ulid();
    const latest = await store.getLatest('pipeline-0000');
    if (latest === undefined) throw new Error('seeding failed');
    await server.executions.start({
      organization: ORG,
      pipeline: latest.pipeline,
      pipelineVersion: latest.version,
      runId,
      parameters: {},
      trigger: 'api',
    });
    await server.executions.drain();
    const run = await new RunStore(client, env.metadataTable, ORG).getRun(runId);
    if (run?.status !== 'success') throw new Error(`the seeded run ended ${run?.status}`);

    const token = await signLocalToken(await loadOrCreateLocalKey(server.services.dataDir), {
      user: 'bench',
      org: ORG,
      role: 'viewer',
    });
    const results = [
      await load('GET /api/pipelines', `${server.url}/api/pipelines`, token, seconds, connections),
      await load('GET /api/runs/{runId}', `${server.url}/api/runs/${runId}`, token, seconds, connections),
    ];
    const report = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        node: process.version,
        // Other work on the machine shows here: figures are only comparable at similar load.
        loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      },
      setup: {
        pipelines,
        seedSeconds: Math.round(seedSeconds * 10) / 10,
        connections,
        seconds,
        loadGenerator: 'autocannon in a second process, loopback',
        store: 'dynalite (in-process DynamoDB emulator)',
      },
      results,
    };
    await writeFile(join(ROOT, 'bench/results/api-load.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `\n${pipelines.toLocaleString('en-US')} pipelines, ${connections} connections x ${seconds} s, ` +
        `autocannon in a second process (${report.machine.cpus} cores, load average ${report.machine.loadAverage1m})\n`,
    );
    console.log('| route | p50 | p99 | throughput |');
    console.log('| --- | --- | --- | --- |');
    for (const result of results) {
      console.log(
        `| \`${result.route}\` | ${result.p50Ms} ms | ${result.p99Ms} ms | ${result.rps.toLocaleString('en-US')} req/s |`,
      );
    }
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
