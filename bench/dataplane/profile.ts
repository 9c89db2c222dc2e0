/**
 * Where a reference run's time goes, statement by statement: runs the
 * pipeline once through the local runtime with every DuckDB statement and
 * every S3 command timed (wall, summed over workers), then prints the
 * totals by kind, heaviest first. A measuring tool, not a benchmark: the
 * timing wrappers cost a little, so compare its figures with each other.
 *
 *   POWERTOOLS_LOG_LEVEL=SILENT POWERTOOLS_METRICS_DISABLED=true \
 *   NODE_OPTIONS=--openssl-legacy-provider tsx bench/dataplane/profile.ts [rows] [workers]
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuckDBConnection } from '@duckdb/node-api';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket, startLocalServices } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type PipelineInput, PipelineSchema } from '../../shared/spec/schema.ts';
import { generateReferenceCsv } from './generate.ts';
import { phaseDurations } from './phases.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const WORKERS = Number(process.argv[3] ?? 2);
const here = fileURLToPath(new URL('.', import.meta.url));

const totals = new Map<string, { count: number; ms: number }>();
function record(kind: string, ms: number): void {
  const entry = totals.get(kind) ?? { count: 0, ms: 0 };
  totals.set(kind, { count: entry.count + 1, ms: entry.ms + ms });
}

/** A statement's kind: its first words, with literals and paths cut away. */
function statementKind(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const head = flat.replace(/'[^']*'/g, "'…'").slice(0, 110);
  return `sql ${head}`;
}

async function timedCall<T>(kind: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    record(kind, performance.now() - started);
  }
}

type Statement = (this: DuckDBConnection, sql: string, ...rest: unknown[]) => Promise<unknown>;
// Every statement goes through `run` (runAndReadAll calls it): timing both counted some twice.
for (const method of ['run'] as const) {
  const original = DuckDBConnection.prototype[method] as unknown as Statement;
  const wrapped: Statement = function (this: DuckDBConnection, sql, ...rest) {
    return timedCall(statementKind(sql), () => original.call(this, sql, ...rest));
  };
  Object.assign(DuckDBConnection.prototype, { [method]: wrapped });
}
type Send = (
  this: unknown,
  command: { constructor: { name: string } },
  ...rest: unknown[]
) => Promise<unknown>;
const send = S3Client.prototype.send as unknown as Send;
const wrappedSend: Send = function (this: unknown, command, ...rest) {
  return timedCall(`s3 ${command.constructor.name}`, () => send.call(this, command, ...rest));
};
Object.assign(S3Client.prototype, { send: wrappedSend });
// The run store writes through the document client: a chunk's status and counters per node.
const sendDocument = DynamoDBDocumentClient.prototype.send as unknown as Send;
const wrappedSendDocument: Send = function (this: unknown, command, ...rest) {
  return timedCall(`dynamodb ${command.constructor.name}`, () => sendDocument.call(this, command, ...rest));
};
Object.assign(DynamoDBDocumentClient.prototype, { send: wrappedSendDocument });

const document = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as PipelineInput;
const scratch = await mkdtemp(join(tmpdir(), 'etl-dataplane-profile-'));
try {
  const services = await startLocalServices(join(scratch, 'data'));
  try {
    await ensureBucket(services.s3, 'bench');
    await mkdir(join(scratch, 'reference'), { recursive: true });
    const source = join(scratch, 'reference', 'reference.csv');
    await generateReferenceCsv(source, ROWS);
    await uploadFile(services.s3, source, 'bench', 'reference/reference.csv');
    totals.clear();
    const pipeline = PipelineSchema.parse({
      ...document,
      execution: { ...document.execution, max_concurrency: WORKERS },
    });
    const started = performance.now();
    const result = await runPipelineLocally(pipeline, services);
    const wallMs = Math.round(performance.now() - started);
    if (result.run.status !== 'success') throw new Error(`run failed: ${result.run.error?.message}`);
    const rows = [...totals]
      .map(([kind, { count, ms }]) => ({ kind, count, ms: Math.round(ms) }))
      .sort((a, b) => b.ms - a.ms);
    console.log(JSON.stringify({ rows: ROWS, workers: WORKERS, wallMs }, null, 0));
    console.log(JSON.stringify(await phaseDurations(result.definition, result.eventLogPath)));
    for (const row of rows.slice(0, 40))
      console.log(`${String(row.ms).padStart(7)} ms ${String(row.count).padStart(5)}x  ${row.kind}`);
  } finally {
    await services.stop();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
