/** The editor's actions. Viewers only see what reads: validate, export, versions and runs. */
import { useRef } from 'react';
import { href } from '../router/routes.ts';

interface EditorToolbarProps {
  readonly title: string;
  readonly pipelineId: string | undefined;
  readonly version: number | undefined;
  readonly dirty: boolean;
  readonly busy: boolean;
  readonly canEdit: boolean;
  readonly onValidate: () => void;
  readonly onSave: () => void;
  readonly onRun: () => void;
  readonly onExport: () => void;
  readonly onImport: (file: File) => void;
}

export function EditorToolbar(props: EditorToolbarProps) {
  const { title, pipelineId, version, dirty, busy, canEdit } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  const saved = version !== undefined;
  return (
    <div className="toolbar" role="toolbar" aria-label="Pipeline actions">
      <h1>
        {title || 'New pipeline'}
        {saved && <small> v{version}</small>}
        {dirty && <small className="dirty"> · unsaved changes</small>}
      </h1>
      <button type="button" onClick={props.onValidate} disabled={busy}>
        Validate
      </button>
      {canEdit && (
        <button type="button" onClick={props.onSave} disabled={busy || (!dirty && saved)}>
          Save
        </button>
      )}
      {canEdit && saved && (
        <button
          type="button"
          onClick={props.onRun}
          disabled={busy || dirty}
          title={dirty ? 'Save your changes before running' : undefined}
        >
          Run…
        </button>
      )}
      <button type="button" onClick={props.onExport}>
        Export JSON
      </button>
      {canEdit && (
        <>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Import JSON
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            aria-label="Import pipeline JSON file"
            className="visually-hidden"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) props.onImport(file);
              event.target.value = '';
            }}
          />
        </>
      )}
      {pipelineId && saved && <a href={href({ page: 'pipeline-runs', pipelineId })}>Runs and charts</a>}
    </div>
  );
}
