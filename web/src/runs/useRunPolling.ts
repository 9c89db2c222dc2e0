/** GET /runs/{id} once a second while the run is pending or running; stops when it ends or the view closes. */
import { useCallback, useEffect, useState } from 'react';
import type { RunDetail, RunStatus } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { toError } from '../ui/useAsync.ts';

const POLL_MS = 1000;

export function isActive(status: RunStatus): boolean {
  return status === 'pending' || status === 'running';
}

export function useRunPolling(runId: string) {
  const { client } = useSession();
  const [run, setRun] = useState<RunDetail | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` restarts polling after cancel or redrive.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await client.run(runId);
        if (!live) return;
        setRun(next);
        setError(undefined);
        if (isActive(next.status)) timer = setTimeout(poll, POLL_MS);
      } catch (failure) {
        // A failed poll is shown but not fatal: keep trying, the API may be restarting.
        if (!live) return;
        setError(toError(failure));
        timer = setTimeout(poll, POLL_MS * 3);
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [client, runId, generation]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  return { run, error, refresh };
}
