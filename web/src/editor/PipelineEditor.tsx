/** The canvas editor: palette, graph, and a side panel for the selected node, settings, versions or a preview. */
import '@xyflow/react/dist/style.css';
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ModuleInfo, PipelineDetail } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { toError } from '../ui/useAsync.ts';
import { Canvas } from './Canvas.tsx';
import { barrierNodes, DecorationsContext } from './decorations.ts';
import { EditorToolbar } from './EditorToolbar.tsx';
import { emptyPipeline } from './model.ts';
import { Palette } from './Palette.tsx';
import { downloadPipeline, parsePipelineFile } from './pipeline-file.ts';
import { type PreviewTarget, SelectedNodePanel } from './SelectedNodePanel.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { StartRunForm } from './StartRunForm.tsx';
import { useEditorActions } from './useEditorActions.ts';
import { useEditorGraph } from './useEditorGraph.ts';
import { VersionsPanel } from './VersionsPanel.tsx';

const PreviewPanel = lazy(() => import('../preview/PreviewPanel.tsx'));

type Tab = 'node' | 'settings' | 'versions' | 'run';

interface PipelineEditorProps {
  readonly initial: PipelineDetail | undefined;
  readonly modules: readonly ModuleInfo[];
}

export function PipelineEditor({ initial, modules }: PipelineEditorProps) {
  const { canEdit } = useSession();
  const graph = useEditorGraph(initial?.pipeline ?? emptyPipeline());
  const actions = useEditorActions(initial?.version, graph.markSaved);
  const [tab, setTab] = useState<Tab>('node');
  const [importError, setImportError] = useState<Error | undefined>();
  // Each request gets a fresh key so asking again re-runs the preview on the current document.
  const [preview, setPreview] = useState<(PreviewTarget & { readonly key: number }) | undefined>();
  const byName = useMemo(() => new Map(modules.map((m) => [m.name, m])), [modules]);
  const decorations = useMemo(
    () => ({
      errors: actions.errors.nodes,
      runs: new Map(),
      barriers: barrierNodes(graph.graph.nodes, byName, actions.validatedBarriers),
    }),
    [actions.errors, actions.validatedBarriers, graph.graph.nodes, byName],
  );
  const edges = useMemo(
    () =>
      graph.graph.edges.map((edge) => {
        const messages = actions.errors.edges.get(edge.id);
        return messages ? { ...edge, className: 'edge-invalid', label: messages.join('; ') } : edge;
      }),
    [graph.graph.edges, actions.errors],
  );
  const isNew = actions.version === undefined;
  const selected = graph.selectedNode;
  const pipelineErrorCount = actions.errors.pipeline.length;
  const selectedId = selected?.id;
  // Selecting a node on the canvas brings its panel forward.
  useEffect(() => {
    if (selectedId) setTab('node');
  }, [selectedId]);

  const importFile = async (file: File) => {
    try {
      const document = parsePipelineFile(await file.text(), file.name);
      // An existing pipeline keeps its id: importing replaces its content, saving makes a new version.
      graph.replaceDocument(isNew ? document : { ...document, id: graph.document.id });
      setImportError(undefined);
    } catch (error) {
      setImportError(toError(error));
    }
  };

  const tabs: { id: Tab; label: string }[] = [
    { id: 'node', label: selected ? `Node ${selected.id}` : 'Node' },
    { id: 'settings', label: pipelineErrorCount ? `Settings (${pipelineErrorCount} errors)` : 'Settings' },
    ...(isNew ? [] : [{ id: 'versions' as const, label: 'Versions' }]),
  ];

  return (
    <div className="editor">
      <EditorToolbar
        title={graph.document.name}
        pipelineId={graph.document.id}
        version={actions.version}
        dirty={graph.dirty}
        busy={actions.busy}
        canEdit={canEdit}
        onValidate={() => actions.validate(graph.document)}
        onSave={() => actions.save(graph.document)}
        onRun={() => setTab('run')}
        onExport={() => downloadPipeline(graph.document)}
        onImport={importFile}
      />
      <div className="editor-messages" aria-live="polite">
        {actions.notice?.kind === 'ok' && <p className="notice-ok">{actions.notice.text}</p>}
        {actions.notice?.kind === 'error' && <ErrorMessage error={actions.notice.error} />}
        {importError && <ErrorMessage error={importError} />}
      </div>
      <div className="editor-body">
        {canEdit && <Palette modules={modules} onAdd={(module) => graph.addModule(module)} />}
        <div className="editor-center">
          <DecorationsContext.Provider value={decorations}>
            <ReactFlowProvider>
              <Canvas
                nodes={graph.graph.nodes}
                edges={edges}
                readOnly={!canEdit}
                onNodesChange={graph.onNodesChange}
                onEdgesChange={graph.onEdgesChange}
                onConnect={graph.onConnect}
                onDropModule={(name, position) => {
                  const module = byName.get(name);
                  if (module) graph.addModule(module, position);
                }}
              />
            </ReactFlowProvider>
          </DecorationsContext.Provider>
          {preview && (
            <Suspense fallback={<p aria-busy="true">Loading preview…</p>}>
              <PreviewPanel
                key={preview.key}
                document={graph.document}
                nodeId={preview.nodeId}
                title={preview.title}
                onClose={() => setPreview(undefined)}
              />
            </Suspense>
          )}
        </div>
        <aside className="side-panel" aria-label="Details">
          <div role="tablist" aria-label="Panels">
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                className={tab === t.id ? 'tab active' : 'tab'}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="side-panel-body">
            {tab === 'node' && !selected && (
              <p>Select a node on the canvas{canEdit ? ', or add one from the palette' : ''}.</p>
            )}
            {tab === 'node' && selected && (
              <SelectedNodePanel
                key={selected.id}
                node={selected}
                module={byName.get(selected.data.module)}
                errors={actions.errors.nodes.get(selected.id)}
                graph={graph}
                canEdit={canEdit}
                onPreview={(target) => setPreview({ ...target, key: Date.now() })}
              />
            )}
            {tab === 'settings' && (
              <SettingsPanel
                meta={graph.graph.meta}
                isNew={isNew}
                errors={actions.errors.pipeline}
                readOnly={!canEdit}
                onChange={graph.setMeta}
              />
            )}
            {tab === 'versions' && graph.document.id && actions.version !== undefined && (
              <VersionsPanel pipelineId={graph.document.id} latest={actions.version} />
            )}
            {tab === 'run' && (
              <StartRunForm
                parameters={graph.graph.meta.parameters ?? {}}
                busy={actions.busy}
                onStart={(parameters) => actions.startRun(graph.document, parameters)}
                onCancel={() => setTab('node')}
              />
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}
