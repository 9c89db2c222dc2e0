/** One pipeline's runs: start one with parameters, charts over time and the list. */
import { lazy, Suspense, useState } from 'react';
import { useSession } from '../auth/session.tsx';
import { StartRunForm } from '../editor/StartRunForm.tsx';
import { href } from '../router/routes.ts';
import { navigate } from '../router/useRoute.ts';
import { AsyncView } from '../ui/AsyncView.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { toError, useAsync } from '../ui/useAsync.ts';
import { RunsTable } from './RunsTable.tsx';

const RunCharts = lazy(() => import('../charts/RunCharts.tsx'));

export default function PipelineRunsPage({ pipelineId }: { readonly pipelineId: string }) {
  const { client, canEdit } = useSession();
  const [starting, setStarting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [state] = useAsync(async () => {
    const [detail, runs] = await Promise.all([
      client.pipeline(pipelineId),
      client.runs({ pipelineId, limit: 100 }),
    ]);
    return { detail, runs: runs.items };
  }, [client, pipelineId]);

  const start = async (parameters: Record<string, unknown>) => {
    setBusy(true);
    try {
      const { runId } = await client.startRun(pipelineId, parameters);
      navigate(href({ page: 'run', runId }));
    } catch (failure) {
      setError(toError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AsyncView state={state} label="runs">
      {({ detail, runs }) => (
        <section aria-labelledby="pipeline-runs-title">
          <div className="page-header">
            <h1 id="pipeline-runs-title">Runs of {detail.pipeline.name}</h1>
            <a href={href({ page: 'editor', pipelineId })}>Open in editor</a>
            {canEdit && !starting && (
              <button type="button" onClick={() => setStarting(true)}>
                Run…
              </button>
            )}
          </div>
          {error && <ErrorMessage error={error} />}
          {starting && (
            <StartRunForm
              parameters={detail.pipeline.parameters ?? {}}
              busy={busy}
              onStart={start}
              onCancel={() => setStarting(false)}
            />
          )}
          <Suspense fallback={<p aria-busy="true">Loading charts…</p>}>
            <RunCharts runs={runs} />
          </Suspense>
          <RunsTable runs={runs} showPipeline={false} />
        </section>
      )}
    </AsyncView>
  );
}
