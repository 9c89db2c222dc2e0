/** Runs across every pipeline, newest first, filterable by status and paged with the API's cursor. */
import { useState } from 'react';
import type { RunStatus } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { AsyncView } from '../ui/AsyncView.tsx';
import { useAsync } from '../ui/useAsync.ts';
import { RunsTable } from './RunsTable.tsx';

const STATUSES: readonly RunStatus[] = ['pending', 'running', 'success', 'failed', 'cancelled', 'timeout'];

export default function RunsPage() {
  const { client } = useSession();
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const [state] = useAsync(() => client.runs({ status, cursor, limit: 50 }), [client, status, cursor]);
  return (
    <section aria-labelledby="runs-title">
      <div className="page-header">
        <h1 id="runs-title">Runs</h1>
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value);
              setCursors([]);
            }}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <AsyncView state={state} label="runs">
        {(page) => (
          <>
            <RunsTable runs={page.items} showPipeline />
            <div className="actions">
              {cursors.length > 0 && (
                <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
                  Newer runs
                </button>
              )}
              {page.nextCursor && (
                <button
                  type="button"
                  onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
                >
                  Older runs
                </button>
              )}
            </div>
          </>
        )}
      </AsyncView>
    </section>
  );
}
