/**
 * The editor's state: React Flow nodes and edges for the graph (positions
 * included) plus the rest of the pipeline document, and the conversions
 * between the two that import, export and save go through.
 */
import type { Edge, Node } from '@xyflow/react';
import type { ModuleInfo, NodeKind, PipelineDoc, PipelineNodeDoc, Position } from '../api/types.ts';
import { edgeId } from './error-mapping.ts';

export interface ModuleNodeData extends Record<string, unknown> {
  readonly module: string;
  readonly kind: NodeKind;
  readonly config: Record<string, unknown>;
  readonly description?: string;
}

export type ModuleFlowNode = Node<ModuleNodeData, 'module'>;
export type PipelineFlowEdge = Edge;

/** Everything in the pipeline document except the graph. */
export type PipelineMeta = Omit<PipelineDoc, 'nodes' | 'edges'>;

export interface EditorGraph {
  readonly meta: PipelineMeta;
  readonly nodes: ModuleFlowNode[];
  readonly edges: PipelineFlowEdge[];
}

const COLUMN_WIDTH = 220;

function flowNode(node: PipelineNodeDoc, index: number): ModuleFlowNode {
  return {
    id: node.id,
    type: 'module',
    // Documents without positions get a left-to-right line, like the seeds' examples.
    position: node.position ?? { x: index * COLUMN_WIDTH, y: 100 },
    data: {
      module: node.module,
      kind: node.type,
      config: node.config ?? {},
      ...(node.description !== undefined ? { description: node.description } : {}),
    },
  };
}

export function flowEdge(source: string, target: string): PipelineFlowEdge {
  return { id: edgeId({ source, target }), source, target };
}

export function graphFromDocument(document: PipelineDoc): EditorGraph {
  const { nodes, edges, ...meta } = document;
  return {
    meta,
    nodes: nodes.map(flowNode),
    edges: (edges ?? []).map((edge) => flowEdge(edge.source, edge.target)),
  };
}

function roundPosition(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

export function documentFromGraph(graph: EditorGraph): PipelineDoc {
  return {
    ...graph.meta,
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: node.data.kind,
      module: node.data.module,
      config: node.data.config,
      position: roundPosition(node.position),
      ...(node.data.description !== undefined ? { description: node.data.description } : {}),
    })),
    edges: graph.edges.map((edge) => ({ source: edge.source, target: edge.target })),
  };
}

/** A node id that satisfies the spec's identifier rule and isn't taken: `filter_1`, `filter_2`… */
export function nextNodeId(moduleName: string, taken: ReadonlySet<string>): string {
  const cleaned = moduleName.replace(/[^A-Za-z0-9_]/g, '_');
  const base = /^[A-Za-z]/.test(cleaned) ? cleaned : `n_${cleaned}`;
  for (let n = 1; ; n += 1) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function newModuleNode(
  module: ModuleInfo,
  position: Position,
  taken: ReadonlySet<string>,
): ModuleFlowNode {
  return {
    id: nextNodeId(module.name, taken),
    type: 'module',
    position: roundPosition(position),
    data: { module: module.name, kind: module.kind, config: {} },
  };
}

/** Renames a node and the edges that reference it. */
export function renameNode(graph: EditorGraph, from: string, to: string): EditorGraph {
  const rename = (id: string) => (id === from ? to : id);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => (node.id === from ? { ...node, id: to } : node)),
    edges: graph.edges.map((edge) => flowEdge(rename(edge.source), rename(edge.target))),
  };
}

export function emptyPipeline(): PipelineDoc {
  return { id: '', name: '', nodes: [], edges: [] };
}
