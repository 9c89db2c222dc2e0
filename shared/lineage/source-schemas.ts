/**
 * The columns each extractor produced in a run. Chunk-local nodes run fused,
 * so an extractor's output is seldom a file; its columns are read from what
 * the run did keep: the plan file of sources that infer a schema once (CSV,
 * JSON), its own chunk files, or the first file written by a consumer that
 * materializes its input unchanged (a barrier's shuffle schema, a loader's
 * staged file).
 */
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile, listObjects } from '../aws/s3-objects.ts';
import { planFileKey, readPlanFile } from '../chunks/plan-file.ts';
import { loaderStagingPrefix } from '../chunks/ref.ts';
import { ORDER_COLUMNS, shuffleSchemaKey } from '../chunks/shuffle.ts';
import { describeColumns } from '../duckdb/parquet.ts';
import { sqlString } from '../duckdb/sql.ts';
import type { ColumnInfo } from '../modules/kernels.ts';
import type { ModuleRegistry } from '../modules/registry.ts';
import { runsAsBarrier } from '../modules/types.ts';
import type { Pipeline } from '../spec/schema.ts';

interface Storage {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly runId: string;
  readonly workDir: string;
  readonly connection: DuckDBConnection;
}

const READERS: readonly [RegExp, (path: string) => string][] = [
  [/\.parquet$/, (path) => `read_parquet(${sqlString(path)})`],
  [/\.csv(\.gz)?$/, (path) => `read_csv(${sqlString(path)})`],
  [/\.jsonl?(\.gz)?$|\.ndjson$/, (path) => `read_json_auto(${sqlString(path)})`],
];

/** The columns of the first data file under `prefix`, or undefined when there is none. */
async function firstFileColumns(storage: Storage, prefix: string): Promise<ColumnInfo[] | undefined> {
  for (const object of await listObjects(storage.s3, storage.bucket, prefix)) {
    const reader = READERS.find(([pattern]) => pattern.test(object.key));
    if (reader === undefined || object.key.endsWith('/_staged.json')) continue;
    const path = join(storage.workDir, `source-${object.key.replaceAll('/', '_')}`);
    await downloadToFile(storage.s3, storage.bucket, object.key, path);
    const columns = await describeColumns(storage.connection, reader[1](path));
    return columns.filter((column) => !(ORDER_COLUMNS as readonly string[]).includes(column.name));
  }
  return undefined;
}

async function planColumns(storage: Storage, nodeId: string): Promise<ColumnInfo[] | undefined> {
  const key = planFileKey(storage.runId, nodeId);
  const [found] = await listObjects(storage.s3, storage.bucket, key);
  if (found?.key !== key) return undefined;
  return (await readPlanFile(storage.s3, storage.bucket, storage.runId, nodeId, storage.workDir)).columns;
}

/** Where a consumer keeps its input as written: a barrier's shuffle schema, a loader's staged files. */
function consumerPrefixes(
  graph: Pick<Pipeline, 'nodes' | 'edges'>,
  nodeId: string,
  runId: string,
  modules: ModuleRegistry,
): string[] {
  return graph.edges.flatMap((edge) => {
    if (edge.source !== nodeId) return [];
    const target = graph.nodes.find((node) => node.id === edge.target);
    if (target?.type === 'loader') return [loaderStagingPrefix(runId, target.id)];
    const module = target === undefined ? undefined : modules.get(target.module);
    if (target === undefined || module === undefined || !runsAsBarrier(module, target.config)) return [];
    const input = graph.edges.filter((other) => other.target === target.id).indexOf(edge);
    return [shuffleSchemaKey(runId, target.id, input)];
  });
}

export async function readSourceSchemas(
  storage: Storage,
  graph: Pick<Pipeline, 'nodes' | 'edges'>,
  modules: ModuleRegistry,
): Promise<Map<string, ColumnInfo[]>> {
  const schemas = new Map<string, ColumnInfo[]>();
  for (const node of graph.nodes.filter((candidate) => candidate.type === 'extractor')) {
    const prefixes = [
      `runs/${storage.runId}/${node.id}/part-`,
      ...consumerPrefixes(graph, node.id, storage.runId, modules),
    ];
    let columns = await planColumns(storage, node.id);
    for (const prefix of prefixes) columns ??= await firstFileColumns(storage, prefix);
    if (columns !== undefined) schemas.set(node.id, columns);
  }
  return schemas;
}
