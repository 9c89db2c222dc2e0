/** A sample of one node's output, fetched as Arrow from POST /preview and shown with column types. */
import { useState } from 'react';
import type { PipelineDoc } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { AsyncView } from '../ui/AsyncView.tsx';
import { formatCount } from '../ui/format.ts';
import { useAsync } from '../ui/useAsync.ts';
import { decodePreview } from './arrow-table.ts';
import { VirtualTable } from './VirtualTable.tsx';

interface PreviewPanelProps {
  readonly document: PipelineDoc;
  /** The node whose output is shown. */
  readonly nodeId: string;
  readonly title: string;
  readonly onClose: () => void;
}

const LIMITS = [100, 500, 1000];

export default function PreviewPanel({ document, nodeId, title, onClose }: PreviewPanelProps) {
  const { client } = useSession();
  const [limit, setLimit] = useState(100);
  // The document is captured when the preview opens; re-open it to preview later edits.
  const [snapshot] = useState(document);
  const [state, reload] = useAsync(
    async () => decodePreview(await client.preview(snapshot, nodeId, limit)),
    [client, snapshot, nodeId, limit],
  );
  return (
    <section className="preview" aria-labelledby="preview-title">
      <div className="actions">
        <h2 id="preview-title">{title}</h2>
        <label>
          Rows{' '}
          <select value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={reload}>
          Refresh preview
        </button>
        <button type="button" onClick={onClose}>
          Close preview
        </button>
      </div>
      <AsyncView state={state} label="preview">
        {(table) => (
          <>
            <p>
              {formatCount(table.rows.length)} rows · {table.columns.length} columns
            </p>
            <VirtualTable table={table} label={title} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
