/**
 * Runs a stage's tree of nodes over one chunk in one DuckDB connection:
 * the root extracts a chunk (or reduces a bucket), each chunk-local node
 * reads its parent's table through the view `input`, and only loaders and
 * shuffles write to S3. Each node still records its own counters, rejects
 * and failures, exactly as its own Task would.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { setParameterVariables } from '../duckdb/engine.ts';
import { InvalidEventError } from '../errors.ts';
import type { ChainEvent, ChainResult, ChainTree } from './chain-events.ts';
import { type ChainSteps, pointInputAt, type StepOutput, type StepScope } from './chain-steps.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import type { HandlerDeps } from './deps.ts';
import type { NodeRef, RunContext } from './events.ts';
import { elapsedMs, runNodeTask } from './node-task.ts';
import type { Observability } from './powertools.ts';

/** The steps of a module by name: the fused function runs every module in-process. */
export type StepsResolver = (moduleName: string) => Promise<ChainSteps>;

export interface ChainContext {
  readonly deps: HandlerDeps;
  readonly observability: Observability;
  readonly connection: DuckDBConnection;
  readonly run: RunContext;
  readonly workDir: string;
  readonly index: number;
  readonly resolveSteps: StepsResolver;
}

export async function runFusedChain(ctx: ChainContext, event: ChainEvent): Promise<ChainResult> {
  await setParameterVariables(ctx.connection, ctx.run.parameters);
  const { root, source, chunk } = event;
  const steps = await ctx.resolveSteps(root.node.module);
  const output = await producingStep(ctx, root.node, (scope) => {
    if (source.kind === 'extract') return required(steps.extract, root.node, 'extract')(scope, chunk);
    return required(steps.reduce, root.node, 'reduce')(scope, chunk, source.inputs);
  });
  await runConsumers(ctx, root, output);
  return { rows: output.counters.rowsOut };
}

/**
 * Feeds a node's output to its shuffles and children. The output is dropped
 * once every consumer has read it, before the children's own subtrees run,
 * so a linear chain holds at most a parent's and a child's rows at once.
 */
async function runConsumers(ctx: ChainContext, tree: ChainTree, output: StepOutput): Promise<void> {
  const rows = output.counters.rowsOut;
  for (const shuffle of tree.shuffles) {
    const steps = await ctx.resolveSteps(shuffle.node.module);
    await pointInputAt(ctx.connection, output.table);
    // A barrier may take two inputs from one chain (a self-join): each shuffle gets its own folder.
    await nodeStep(
      ctx,
      shuffle.node,
      (scope) => required(steps.shuffle, shuffle.node, 'shuffle')(scope, rows, shuffle),
      `${shuffle.node.id}-input-${shuffle.input}`,
    );
  }
  const pending: { tree: ChainTree; output: StepOutput }[] = [];
  for (const child of tree.children) {
    const steps = await ctx.resolveSteps(child.node.module);
    await pointInputAt(ctx.connection, output.table);
    if (steps.transform !== undefined) {
      const transform = steps.transform;
      pending.push({
        tree: child,
        output: await producingStep(ctx, child.node, (scope) => transform(scope, rows)),
      });
    } else {
      await nodeStep(ctx, child.node, (scope) => required(steps.load, child.node, 'load')(scope, rows));
    }
  }
  await release(ctx.connection, output);
  for (const next of pending) await runConsumers(ctx, next.tree, next.output);
}

async function release(connection: DuckDBConnection, output: StepOutput): Promise<void> {
  await connection.run('DROP VIEW IF EXISTS input');
  await connection.run(`DROP ${output.relation === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${output.table}`);
}

/** A step whose output feeds others: its counters are recorded like an unfused task's. */
async function producingStep(
  ctx: ChainContext,
  node: NodeRef,
  work: (scope: StepScope) => Promise<StepOutput>,
): Promise<StepOutput> {
  return nodeStep(ctx, node, async (scope) => {
    const startedAt = performance.now();
    const output = await work(scope);
    // bytesOut counts bytes published to S3: a fused node's output never leaves the worker.
    await recordChunkMetrics(ctx.deps, ctx.observability, ctx.run, node, {
      chunkIndex: ctx.index,
      ...output.counters,
      durationMs: elapsedMs(startedAt),
      bytesOut: 0,
    });
    return output;
  });
}

/** Runs one node's step in its own scratch folder, its failures recorded against it. */
async function nodeStep<T>(
  ctx: ChainContext,
  node: NodeRef,
  work: (scope: StepScope) => Promise<T>,
  folder: string = node.id,
): Promise<T> {
  const workDir = join(ctx.workDir, folder);
  await mkdir(workDir, { recursive: true });
  const scope: StepScope = { ...ctx, node, workDir };
  return runNodeTask(ctx.deps, ctx.observability, ctx.run, node, () => work(scope));
}

/** A node whose module lacks the step its place in the chain needs: a translator bug, never retried. */
function required<T>(step: T | undefined, node: NodeRef, role: string): T {
  if (step === undefined) {
    throw new InvalidEventError(`module ${node.module} cannot ${role} in a fused chain (node ${node.id})`);
  }
  return step;
}
