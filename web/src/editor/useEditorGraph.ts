/** The editor's graph state and every edit the UI can make to it, tracking unsaved changes. */
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import type { ModuleInfo, PipelineDoc, Position } from '../api/types.ts';
import {
  documentFromGraph,
  type EditorGraph,
  flowEdge,
  graphFromDocument,
  type ModuleFlowNode,
  type ModuleNodeData,
  newModuleNode,
  type PipelineFlowEdge,
  type PipelineMeta,
  renameNode,
} from './model.ts';

/** Changes that only reflect what React Flow measured or selected; they don't make the document dirty. */
const VIEW_ONLY = new Set(['dimensions', 'select']);

export function useEditorGraph(initial: PipelineDoc) {
  const [graph, setGraph] = useState<EditorGraph>(() => graphFromDocument(initial));
  const [dirty, setDirty] = useState(false);

  const edit = useCallback((change: (graph: EditorGraph) => EditorGraph) => {
    setGraph(change);
    setDirty(true);
  }, []);

  const onNodesChange = useCallback((changes: NodeChange<ModuleFlowNode>[]) => {
    setGraph((g) => ({ ...g, nodes: applyNodeChanges(changes, g.nodes) }));
    if (changes.some((change) => !VIEW_ONLY.has(change.type))) setDirty(true);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<PipelineFlowEdge>[]) => {
    setGraph((g) => ({ ...g, edges: applyEdgeChanges(changes, g.edges) }));
    if (changes.some((change) => !VIEW_ONLY.has(change.type))) setDirty(true);
  }, []);

  const onConnect = useCallback(
    (connection: Connection) =>
      edit((g) => {
        const edge = flowEdge(connection.source, connection.target);
        return g.edges.some((e) => e.id === edge.id) ? g : { ...g, edges: [...g.edges, edge] };
      }),
    [edit],
  );

  const addModule = useCallback(
    (module: ModuleInfo, position?: Position) =>
      edit((g) => {
        const taken = new Set(g.nodes.map((node) => node.id));
        // Without a drop point (keyboard), place the node to the right of the rightmost one.
        const at = position ?? {
          x: g.nodes.reduce((max, node) => Math.max(max, node.position.x + 240), 0),
          y: 100,
        };
        const node = { ...newModuleNode(module, at, taken), selected: true };
        return { ...g, nodes: [...g.nodes.map((n) => ({ ...n, selected: false })), node] };
      }),
    [edit],
  );

  const updateNodeData = useCallback(
    (id: string, data: Partial<ModuleNodeData>) =>
      edit((g) => ({
        ...g,
        nodes: g.nodes.map((node) => (node.id === id ? { ...node, data: { ...node.data, ...data } } : node)),
      })),
    [edit],
  );

  const rename = useCallback((from: string, to: string) => edit((g) => renameNode(g, from, to)), [edit]);

  const disconnect = useCallback(
    (source: string, target: string) =>
      edit((g) => ({ ...g, edges: g.edges.filter((e) => !(e.source === source && e.target === target)) })),
    [edit],
  );

  const removeNode = useCallback(
    (id: string) =>
      edit((g) => ({
        ...g,
        nodes: g.nodes.filter((node) => node.id !== id),
        edges: g.edges.filter((edge) => edge.source !== id && edge.target !== id),
      })),
    [edit],
  );

  const setMeta = useCallback((meta: PipelineMeta) => edit((g) => ({ ...g, meta })), [edit]);

  const replaceDocument = useCallback((document: PipelineDoc) => {
    setGraph(graphFromDocument(document));
    setDirty(true);
  }, []);

  const markSaved = useCallback(() => setDirty(false), []);
  const document = useMemo(() => documentFromGraph(graph), [graph]);
  const selectedNode = graph.nodes.find((node) => node.selected);

  return {
    graph,
    document,
    dirty,
    selectedNode,
    onNodesChange,
    onEdgesChange,
    onConnect,
    disconnect,
    addModule,
    updateNodeData,
    rename,
    removeNode,
    setMeta,
    replaceDocument,
    markSaved,
  };
}

export type EditorGraphApi = ReturnType<typeof useEditorGraph>;
