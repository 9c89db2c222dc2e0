/** The run's pipeline version drawn read-only, each node coloured by its status in this run. */
import '@xyflow/react/dist/style.css';
import { Background, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import type { NodeRun, PipelineDoc } from '../api/types.ts';
import { DecorationsContext } from '../editor/decorations.ts';
import { ModuleNode } from '../editor/ModuleNode.tsx';
import { graphFromDocument } from '../editor/model.ts';

const NODE_TYPES = { module: ModuleNode };

export function RunDag({
  pipeline,
  nodes,
}: {
  readonly pipeline: PipelineDoc;
  readonly nodes: readonly NodeRun[];
}) {
  const graph = useMemo(() => graphFromDocument(pipeline), [pipeline]);
  const decorations = useMemo(
    () => ({
      errors: new Map(),
      runs: new Map(nodes.map((node) => [node.nodeId, node])),
      barriers: new Set<string>(),
    }),
    [nodes],
  );
  return (
    <section className="run-dag" aria-label="Pipeline graph with node status">
      <DecorationsContext.Provider value={decorations}>
        <ReactFlowProvider>
          <ReactFlow
            nodes={graph.nodes}
            edges={graph.edges}
            nodeTypes={NODE_TYPES}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
          </ReactFlow>
        </ReactFlowProvider>
      </DecorationsContext.Provider>
    </section>
  );
}
