/** Cancel a live run, or redrive one that failed, timed out or was cancelled (developers only). */
import { useState } from 'react';
import type { RunDetail } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { toError } from '../ui/useAsync.ts';
import { isActive } from './useRunPolling.ts';

const REDRIVABLE = new Set(['failed', 'timeout', 'cancelled']);

export function RunControls({ run, onChanged }: { readonly run: RunDetail; readonly onChanged: () => void }) {
  const { client, canEdit } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  if (!canEdit) return null;

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(undefined);
      onChanged();
    } catch (failure) {
      setError(toError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="actions">
      {isActive(run.status) && (
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => act(() => client.cancelRun(run.runId))}
        >
          Cancel run
        </button>
      )}
      {REDRIVABLE.has(run.status) && (
        <button type="button" disabled={busy} onClick={() => act(() => client.redriveRun(run.runId))}>
          Redrive run
        </button>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
