/**
 * Operator fusion: what a module contributes to a fused chain, where a
 * stage's nodes run back to back for one chunk in one DuckDB connection.
 * Each node's output is a table in that connection instead of a Parquet file
 * in S3; only loaders and shuffles (the chain's ends) write to S3.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChunkDescriptor } from '../chunks/ref.ts';
import { sqlIdent } from '../duckdb/sql.ts';
import type { RowCounters } from '../store/run-types.ts';
import type { HandlerDeps } from './deps.ts';
import type { NodeRef, RunContext } from './events.ts';
import type { LambdaHandler, Observability } from './powertools.ts';

/** Everything a node's step works with inside a fused task. */
export interface StepScope {
  readonly deps: HandlerDeps;
  readonly observability: Observability;
  /** Shared by the whole chain; the step's input (if any) is the view `input`. */
  readonly connection: DuckDBConnection;
  readonly run: RunContext;
  readonly node: NodeRef;
  /** The node's own scratch folder (nodes of one chain never share file names). */
  readonly workDir: string;
  /** The chunk (or bucket) index the chain works on: deterministic keys per node. */
  readonly index: number;
}

/** A node's output inside the chain: a relation of the shared connection and its counters. */
export interface StepOutput {
  readonly table: string;
  /** A view when the rows already sit in a local file (an extractor's Parquet). */
  readonly relation: 'table' | 'view';
  readonly counters: RowCounters;
}

/** The barrier's input a shuffle feeds and how many buckets it spreads rows over. */
export interface ShuffleTargetArgs {
  readonly input: number;
  readonly buckets: number;
}

/** Steps a module can run inside a fused chain, by the role its node plays there. */
export interface ChainSteps {
  /** Extractor at a chain's root: reads one planned chunk. */
  readonly extract?: (scope: StepScope, chunk: ChunkDescriptor) => Promise<StepOutput>;
  /** Chunk-local transform over `input` (`rowsIn` rows). */
  readonly transform?: (scope: StepScope, rowsIn: number) => Promise<StepOutput>;
  /** Loader: stages `input` (`rowsIn` rows) for Commit. */
  readonly load?: (scope: StepScope, rowsIn: number) => Promise<void>;
  /** Barrier, map side: spreads `input` (`rowsIn` rows) over the barrier's buckets. */
  readonly shuffle?: (scope: StepScope, rowsIn: number, target: ShuffleTargetArgs) => Promise<void>;
  /** Barrier at a chain's root: reduces one bucket of every input. */
  readonly reduce?: (scope: StepScope, bucket: ChunkDescriptor, inputs: number) => Promise<StepOutput>;
}

/** A module's Lambda handler, carrying the steps the fused-chain function runs in-process. */
export type ModuleHandler<TResult> = LambdaHandler<unknown, TResult> & { readonly chainSteps: ChainSteps };

export function withChainSteps<TResult>(
  handler: LambdaHandler<unknown, TResult>,
  chainSteps: ChainSteps,
): ModuleHandler<TResult> {
  return Object.assign(handler, { chainSteps });
}

/** The steps of a handler module, or undefined for a function that is not a module (control functions). */
export function chainStepsOf(handler: unknown): ChainSteps | undefined {
  if (typeof handler !== 'function' || !('chainSteps' in handler)) return undefined;
  const steps: unknown = handler.chainSteps;
  return typeof steps === 'object' && steps !== null ? (steps as ChainSteps) : undefined;
}

/** The table holding a node's output in the chain's connection (node ids are identifiers). */
export function nodeTable(nodeId: string): string {
  return sqlIdent(`node_${nodeId}`);
}

/** Points the view `input` at a table, as every kernel reads its chunk through `input`. */
export async function pointInputAt(connection: DuckDBConnection, table: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE VIEW input AS SELECT * FROM ${table}`);
}

/** Materializes a query as the node's table; returns its row count. */
export async function materialize(
  connection: DuckDBConnection,
  query: string,
  table: string,
): Promise<number> {
  await connection.run(`CREATE OR REPLACE TABLE ${table} AS ${query}`);
  const reader = await connection.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${table}`);
  return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
}
