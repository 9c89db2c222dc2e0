/**
 * Runs one file through a real file extractor as the Lambdas do, minus the
 * Step Functions plumbing: upload to the local S3, plan, extract every chunk
 * in its own DuckDB, then count what landed in the outputs and the rejects.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { downloadToFile, listObjects } from '../../shared/aws/s3-objects.ts';
import type { ChunkDescriptor } from '../../shared/chunks/ref.ts';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';
import { RunContextSchema } from '../../shared/lambda/events.ts';
import type { ConnectorIo, ExtractorKernel } from '../../shared/modules/kernels.ts';
import type { LocalServices } from '../../shared/runtime/local-services.ts';

export const FUZZ_BUCKET = 'fuzz-raw';
const NODE_ID = 'src';

export interface ExtractTotals {
  readonly chunks: number;
  /** What the kernels reported. */
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsRejected: number;
  /** What the files hold: output rows, and the distinct records the reject rows name. */
  readonly outputRows: number;
  readonly rejectRows: number;
  /** Reject rows with no reason or no position (record or line). */
  readonly unexplainedRejects: number;
}

export interface ExtractCase<TConfig> {
  readonly services: LocalServices;
  readonly scratch: string;
  readonly caseId: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly config: TConfig;
  readonly kernel: ExtractorKernel<TConfig>;
  readonly chunkSizeBytes: number;
}

async function countOutputRows(folder: string): Promise<number> {
  return withDuckDb({ workDir: folder }, async (connection) => {
    const [row] = await queryRows(
      connection,
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(join(folder, '*.parquet'))})`,
    );
    return Number(row?.n ?? 0);
  });
}

async function countRejects(services: LocalServices, runId: string, folder: string) {
  const objects = await listObjects(services.s3, services.env.stagingBucket, rejectsPrefix(runId, NODE_ID));
  if (objects.length === 0) return { rows: 0, unexplained: 0 };
  await mkdir(folder, { recursive: true });
  for (const [index, object] of objects.entries()) {
    await downloadToFile(
      services.s3,
      services.env.stagingBucket,
      object.key,
      join(folder, `r${index}.parquet`),
    );
  }
  return withDuckDb({ workDir: folder }, async (connection) => {
    const [row] = await queryRows(
      connection,
      // One reject row per error (a record may have several): count the records they name.
      `SELECT count(DISTINCT coalesce(record, line))::INTEGER AS n,
              count(*) FILTER (WHERE coalesce(reason, '') = '' OR (record IS NULL AND line IS NULL))::INTEGER AS bad
       FROM read_parquet(${sqlString(join(folder, '*.parquet'))})`,
    );
    return { rows: Number(row?.n ?? 0), unexplained: Number(row?.bad ?? 0) };
  });
}

export async function extractFile<TConfig>(test: ExtractCase<TConfig>): Promise<ExtractTotals> {
  const workDir = await mkdtemp(join(test.scratch, `${test.caseId}-`));
  const { s3, env } = test.services;
  await s3.send(
    new PutObjectCommand({ Bucket: FUZZ_BUCKET, Key: `${test.caseId}/${test.fileName}`, Body: test.bytes }),
  );
  const run = RunContextSchema.parse({
    runId: `fuzz-${test.caseId}`,
    pipelineId: 'fuzz',
    pipelineName: 'fuzz',
    parameters: {},
    startedAt: new Date(0).toISOString(),
  });
  const io: ConnectorIo = {
    s3,
    workDir,
    parameters: {},
    run,
    nodeId: NODE_ID,
    stagingBucket: env.stagingBucket,
  };
  try {
    const chunks: ChunkDescriptor[] = await test.kernel.plan(test.config, io, test.chunkSizeBytes);
    const totals = { rowsIn: 0, rowsOut: 0, rowsRejected: 0 };
    const outputs = join(workDir, 'outputs');
    await mkdir(outputs, { recursive: true });
    for (const chunk of chunks) {
      const chunkDir = await mkdtemp(join(workDir, 'chunk-'));
      const outputPath = join(outputs, `part-${chunk.index}.parquet`);
      const result = await withDuckDb({ workDir: chunkDir }, (connection) =>
        test.kernel.extract(test.config, chunk, { ...io, workDir: chunkDir, connection, outputPath }),
      );
      totals.rowsIn += result.rowsIn;
      totals.rowsOut += result.rowsOut;
      totals.rowsRejected += result.rowsRejected;
    }
    const outputRows = chunks.length === 0 ? 0 : await countOutputRows(outputs);
    const rejects = await countRejects(test.services, run.runId, join(workDir, 'rejects'));
    return {
      chunks: chunks.length,
      ...totals,
      outputRows,
      rejectRows: rejects.rows,
      unexplainedRejects: rejects.unexplained,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
