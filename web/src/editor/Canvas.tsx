/** The React Flow pane of the editor: nodes and edges, drops from the palette, new connections. */
import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useState } from 'react';
import type { Position } from '../api/types.ts';
import { ModuleNode } from './ModuleNode.tsx';
import type { ModuleFlowNode, PipelineFlowEdge } from './model.ts';
import { MODULE_DRAG_TYPE } from './Palette.tsx';

const NODE_TYPES = { module: ModuleNode };

interface CanvasProps {
  readonly nodes: ModuleFlowNode[];
  readonly edges: PipelineFlowEdge[];
  readonly readOnly: boolean;
  readonly onNodesChange: (changes: NodeChange<ModuleFlowNode>[]) => void;
  readonly onEdgesChange: (changes: EdgeChange<PipelineFlowEdge>[]) => void;
  readonly onConnect: (connection: Connection) => void;
  readonly onDropModule: (moduleName: string, position: Position) => void;
}

export function Canvas({
  nodes,
  edges,
  readOnly,
  onNodesChange,
  onEdgesChange,
  onConnect,
  onDropModule,
}: CanvasProps) {
  const { screenToFlowPosition } = useReactFlow();
  // Fit an opened pipeline into view once; an empty canvas keeps its viewport so drops land where released.
  const [fitOnOpen] = useState(nodes.length > 0);

  const onDragOver = (event: DragEvent) => {
    if (readOnly) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  const onDrop = (event: DragEvent) => {
    const moduleName = event.dataTransfer.getData(MODULE_DRAG_TYPE);
    if (readOnly || !moduleName) return;
    event.preventDefault();
    onDropModule(moduleName, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  return (
    <section className="canvas" aria-label="Pipeline canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        fitView={fitOnOpen}
        fitViewOptions={{ maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
