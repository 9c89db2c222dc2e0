/** Everything about the selected node: its panel, its inputs, and a preview of its output (or a loader's input). */
import { useState } from 'react';
import type { ModuleInfo, PipelineDoc } from '../api/types.ts';
import type { NodeErrors } from './error-mapping.ts';
import type { ModuleFlowNode } from './model.ts';
import { NodeInputs } from './NodeInputs.tsx';
import { NodePanel } from './NodePanel.tsx';
import type { EditorGraphApi } from './useEditorGraph.ts';

interface SelectedNodePanelProps {
  readonly node: ModuleFlowNode;
  readonly module: ModuleInfo | undefined;
  readonly errors: NodeErrors | undefined;
  readonly graph: EditorGraphApi;
  readonly canEdit: boolean;
  readonly onPreview: (target: PreviewTarget) => void;
}

export interface PreviewTarget {
  readonly nodeId: string;
  readonly title: string;
}

/** A loader has no output of its own: its preview is the output of the node feeding it. */
function previewTarget(document: PipelineDoc, node: ModuleFlowNode): PreviewTarget | undefined {
  if (node.data.kind !== 'loader') return { nodeId: node.id, title: `Output of ${node.id}` };
  const source = document.edges.find((edge) => edge.target === node.id)?.source;
  return source ? { nodeId: source, title: `Input of ${node.id} (output of ${source})` } : undefined;
}

export function SelectedNodePanel({
  node,
  module,
  errors,
  graph,
  canEdit,
  onPreview,
}: SelectedNodePanelProps) {
  const [unpreviewable, setUnpreviewable] = useState(false);
  const { nodes, edges } = graph.graph;
  const inputs = edges.filter((e) => e.target === node.id).map((e) => e.source);
  const candidates = nodes
    .filter((n) => n.id !== node.id && n.data.kind !== 'loader' && !inputs.includes(n.id))
    .map((n) => n.id);
  return (
    <>
      <NodePanel
        node={node}
        module={module}
        errors={errors}
        takenIds={new Set(nodes.map((n) => n.id))}
        readOnly={!canEdit}
        onChange={(data) => graph.updateNodeData(node.id, data)}
        onRename={(to) => graph.rename(node.id, to)}
        onRemove={() => graph.removeNode(node.id)}
        inputs={
          node.data.kind === 'extractor' ? null : (
            <NodeInputs
              nodeId={node.id}
              inputs={inputs}
              candidates={candidates}
              readOnly={!canEdit}
              onAdd={(source) =>
                graph.onConnect({ source, target: node.id, sourceHandle: null, targetHandle: null })
              }
              onRemove={(source) => graph.disconnect(source, node.id)}
            />
          )
        }
      />
      {canEdit && (
        <button
          type="button"
          onClick={() => {
            const target = previewTarget(graph.document, node);
            setUnpreviewable(target === undefined);
            if (target) onPreview(target);
          }}
        >
          {node.data.kind === 'loader' ? 'Preview input' : 'Preview output'}
        </button>
      )}
      {unpreviewable && <p role="alert">Connect a node to {node.id} to preview its input.</p>}
    </>
  );
}
