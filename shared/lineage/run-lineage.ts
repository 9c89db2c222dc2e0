/**
 * A run's lineage, node by node: each module's declared lineage applied to
 * the pipeline's graph and to the columns the run actually produced.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../errors.ts';
import type { ColumnInfo } from '../modules/kernels.ts';
import { type ModuleRegistry, registry } from '../modules/registry.ts';
import type { AnyModuleDefinition } from '../modules/types.ts';
import type { Pipeline, PipelineNode } from '../spec/schema.ts';
import { passThrough } from './columns.ts';
import { describeOutput } from './output-columns.ts';
import { SCHEMA_KERNELS } from './schema-kernels.ts';
import type { ColumnLineage } from './types.ts';

export interface NodeLineage {
  readonly nodeId: string;
  readonly module: string;
  /** Upstream node ids, in edge order: `InputColumnRef.input` indexes this list. */
  readonly inputs: readonly string[];
  readonly columns: readonly ColumnLineage[];
  /** Why the node has no column lineage, when it has none. */
  readonly problem?: string;
}

type Graph = Pick<Pipeline, 'nodes' | 'edges'>;

/** Node ids so that every node comes after its inputs (the pipeline is validated acyclic). */
function topologicalOrder(graph: Graph): string[] {
  const pending = new Map(graph.nodes.map((node) => [node.id, 0]));
  for (const edge of graph.edges) pending.set(edge.target, (pending.get(edge.target) ?? 0) + 1);
  const ready = graph.nodes.filter((node) => pending.get(node.id) === 0).map((node) => node.id);
  const order: string[] = [];
  for (let id = ready.shift(); id !== undefined; id = ready.shift()) {
    order.push(id);
    for (const edge of graph.edges.filter((candidate) => candidate.source === id)) {
      const left = (pending.get(edge.target) ?? 0) - 1;
      pending.set(edge.target, left);
      if (left === 0) ready.push(edge.target);
    }
  }
  return order;
}

/** Why a node has no lineage: its source keeps no schema, an input is unknown, or describing it failed. */
function unknownReason(
  node: PipelineNode,
  inputs: readonly string[],
  known: readonly (readonly ColumnInfo[] | undefined)[],
): string {
  if (node.type === 'extractor') {
    return 'the run kept no schema of this source (a plan file, chunk files or a materializing consumer)';
  }
  const unknown = inputs.filter((_id, index) => known[index] === undefined);
  return unknown.length > 0
    ? `the columns of input ${unknown.join(', ')} are unknown`
    : `module ${node.module} has no kernel to describe its output`;
}

interface Described {
  readonly outputs?: readonly ColumnInfo[];
  readonly columns: readonly ColumnLineage[];
  readonly problem?: string;
}

async function describeNode(
  node: PipelineNode,
  inputs: readonly string[],
  produced: ReadonlyMap<string, readonly ColumnInfo[]>,
  context: {
    sources: ReadonlyMap<string, readonly ColumnInfo[]>;
    connection: DuckDBConnection;
    modules: ModuleRegistry;
  },
): Promise<Described> {
  const known = inputs.map((id) => produced.get(id));
  const inputColumns = known.every((columns) => columns !== undefined)
    ? (known as ColumnInfo[][])
    : undefined;
  const module = context.modules.get(node.module);
  const kernel = SCHEMA_KERNELS[node.module];
  try {
    const config = module?.configSchema.parse(node.config);
    let outputs: readonly ColumnInfo[] | undefined;
    if (node.type === 'extractor') outputs = context.sources.get(node.id);
    else if (node.type === 'loader') outputs = inputColumns?.[0];
    else if (inputColumns !== undefined && kernel !== undefined)
      outputs = await describeOutput(context.connection, kernel, config, inputColumns);
    if (outputs === undefined) return { columns: [], problem: unknownReason(node, inputs, known) };
    return { outputs, columns: await columnLineage(node.type, module, config, inputColumns, outputs) };
  } catch (error) {
    // Recorded on the node, not thrown: the run's data is loaded; only what lineage can tell is limited.
    return { columns: [], problem: `describing the node failed: ${errorMessage(error)}` };
  }
}

/**
 * `sources` holds each extractor's output columns as the run produced them.
 * Every other node's columns follow from its inputs: a transform's are
 * described by DuckDB from its kernel (`connection` serves for that), a
 * loader's are its input's. A node whose columns cannot be known gets no
 * lineage, with the reason, rather than a guess.
 */
export async function computeRunLineage(
  graph: Graph,
  sources: ReadonlyMap<string, readonly ColumnInfo[]>,
  options: { readonly connection: DuckDBConnection; readonly modules?: ModuleRegistry },
): Promise<NodeLineage[]> {
  const context = { sources, connection: options.connection, modules: options.modules ?? registry };
  const produced = new Map<string, readonly ColumnInfo[]>();
  const result: NodeLineage[] = [];
  for (const nodeId of topologicalOrder(graph)) {
    const node = graph.nodes.find((candidate) => candidate.id === nodeId);
    if (node === undefined) continue;
    const inputs = graph.edges.filter((edge) => edge.target === nodeId).map((edge) => edge.source);
    const { outputs, columns, problem } = await describeNode(node, inputs, produced, context);
    if (outputs !== undefined) produced.set(nodeId, outputs);
    result.push({
      nodeId,
      module: node.module,
      inputs,
      columns,
      ...(problem === undefined ? {} : { problem }),
    });
  }
  return result;
}

async function columnLineage(
  type: PipelineNode['type'],
  module: AnyModuleDefinition | undefined,
  config: unknown,
  inputs: readonly (readonly ColumnInfo[])[] | undefined,
  outputs: readonly ColumnInfo[],
): Promise<readonly ColumnLineage[]> {
  if (type === 'extractor')
    return outputs.map((column) => ({ output: column.name, inputs: [], kind: 'source' }));
  const columns = { inputs: inputs ?? [], outputs };
  return module?.lineage === undefined ? passThrough(columns, 'direct') : module.lineage(config, columns);
}
