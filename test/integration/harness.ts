/** Shared set-up for integration tests: real emulators in a temp data dir, real data, real outputs. */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadToFile, listObjects, uploadFile } from '../../shared/aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { ensureBucket, type LocalServices, startLocalServices } from '../../shared/runtime/local-services.ts';
import { type Pipeline, type PipelineInput, PipelineSchema } from '../../shared/spec/schema.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The team's real data sets, beside the checkout (CI has them too). */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data/vega');

export interface TestEnvironment {
  readonly services: LocalServices;
  readonly scratch: string;
  close(): Promise<void>;
}

export async function startTestEnvironment(): Promise<TestEnvironment> {
  const scratch = await mkdtemp(join(tmpdir(), 'etl-it-'));
  const services = await startLocalServices(join(scratch, 'data'));
  return {
    services,
    scratch,
    async close() {
      await services.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export async function putLocalFile(
  env: TestEnvironment,
  path: string,
  bucket: string,
  key: string,
): Promise<void> {
  await ensureBucket(env.services.s3, bucket);
  await uploadFile(env.services.s3, path, bucket, key);
}

export async function loadExample(name: string, overrides: Partial<PipelineInput> = {}): Promise<Pipeline> {
  const document = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples', name, 'pipeline.json'), 'utf8'),
  ) as PipelineInput;
  return PipelineSchema.parse({ ...document, ...overrides });
}

/** Returns a copy of the pipeline with one node's config fields replaced. */
export function withNodeConfig(
  pipeline: Pipeline,
  nodeId: string,
  config: Record<string, unknown>,
): Pipeline {
  return {
    ...pipeline,
    nodes: pipeline.nodes.map((node) =>
      node.id === nodeId ? { ...node, config: { ...node.config, ...config } } : node,
    ),
  };
}

/**
 * Downloads every Parquet file under a prefix (keeping Hive partition folders)
 * and runs `query` over them as the view `dataset`.
 */
export async function queryDataset(
  env: TestEnvironment,
  bucket: string,
  prefix: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  const folder = await mkdtemp(join(env.scratch, 'dataset-'));
  const objects = (await listObjects(env.services.s3, bucket, prefix)).filter((object) =>
    object.key.endsWith('.parquet'),
  );
  for (const object of objects) {
    const path = join(folder, object.key.slice(prefix.length));
    await mkdir(dirname(path), { recursive: true });
    await downloadToFile(env.services.s3, bucket, object.key, path);
  }
  return withDuckDb({ workDir: folder }, async (connection) => {
    await connection.run(
      `CREATE VIEW dataset AS SELECT * FROM read_parquet('${folder}/**/*.parquet', hive_partitioning = true, union_by_name = true)`,
    );
    return queryRows(connection, query);
  });
}

/** Runs SQL directly in DuckDB over a local file, the oracle integration tests compare against. */
export async function queryDirectly(query: string): Promise<Record<string, unknown>[]> {
  const folder = await mkdtemp(join(tmpdir(), 'etl-oracle-'));
  try {
    return await withDuckDb({ workDir: folder }, (connection) => queryRows(connection, query));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
