/** Follows a column back through a run's lineage to the source columns it comes from. */
import type { NodeLineage } from './run-lineage.ts';
import type { LineageKind } from './types.ts';

export interface ColumnTrace {
  readonly nodeId: string;
  readonly module: string;
  readonly column: string;
  /** Undefined when the node's lineage does not list the column. */
  readonly kind: LineageKind | undefined;
  readonly from: readonly ColumnTrace[];
}

export interface SourceColumn {
  readonly nodeId: string;
  readonly column: string;
}

function entryOf(node: NodeLineage, column: string) {
  const lower = column.toLowerCase();
  return node.columns.find((entry) => entry.output.toLowerCase() === lower);
}

/** The column's trace from `nodeId` back to the extractors; undefined when the node has no such column. */
export function traceColumn(
  nodes: readonly NodeLineage[],
  nodeId: string,
  column: string,
): ColumnTrace | undefined {
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const visit = (id: string, name: string): ColumnTrace | undefined => {
    const node = byId.get(id);
    if (node === undefined) return undefined;
    const entry = entryOf(node, name);
    if (entry === undefined) return undefined;
    const from = entry.inputs.flatMap((ref) => {
      const upstream = node.inputs[ref.input];
      const traced = upstream === undefined ? undefined : visit(upstream, ref.column);
      return traced === undefined ? [] : [traced];
    });
    return { nodeId: id, module: node.module, column: entry.output, kind: entry.kind, from };
  };
  return visit(nodeId, column);
}

/** The extractor columns at the leaves of a trace, each once. */
export function sourceColumns(trace: ColumnTrace): SourceColumn[] {
  const found = new Map<string, SourceColumn>();
  const visit = (node: ColumnTrace) => {
    if (node.kind === 'source')
      found.set(`${node.nodeId}\u0000${node.column}`, { nodeId: node.nodeId, column: node.column });
    for (const child of node.from) visit(child);
  };
  visit(trace);
  return [...found.values()];
}

/** Nodes no other node reads: where a pipeline's columns end up. */
export function sinkNodes(nodes: readonly NodeLineage[]): NodeLineage[] {
  const read = new Set(nodes.flatMap((node) => node.inputs));
  return nodes.filter((node) => !read.has(node.nodeId));
}
