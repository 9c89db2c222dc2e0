/** All pipelines of the organization, with their last run and links to edit or watch them. */
import { useSession } from '../auth/session.tsx';
import { href } from '../router/routes.ts';
import { AsyncView } from '../ui/AsyncView.tsx';
import { formatTime } from '../ui/format.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useAsync } from '../ui/useAsync.ts';

export default function PipelineList() {
  const { client, canEdit } = useSession();
  const [state] = useAsync(() => client.pipelines({ limit: 100 }), [client]);
  return (
    <section aria-labelledby="pipelines-title">
      <div className="page-header">
        <h1 id="pipelines-title">Pipelines</h1>
        {canEdit && (
          <a className="button" href={href({ page: 'editor' })}>
            New pipeline
          </a>
        )}
      </div>
      <AsyncView state={state} label="pipelines">
        {(page) =>
          page.items.length === 0 ? (
            <p>No pipelines yet.{canEdit ? ' Create one with “New pipeline”.' : ''}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Version</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Runs</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={href({ page: 'editor', pipelineId: p.id })}>{p.name}</a> <code>{p.id}</code>
                    </td>
                    <td>v{p.version}</td>
                    <td>
                      {formatTime(p.updatedAt)} by {p.updatedBy}
                    </td>
                    <td>{p.schedule ? <code>{p.schedule.cron}</code> : '—'}</td>
                    <td>
                      {p.lastRun ? (
                        <a href={href({ page: 'run', runId: p.lastRun.runId })}>
                          <StatusBadge status={p.lastRun.status} /> {formatTime(p.lastRun.startedAt)}
                        </a>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <a href={href({ page: 'pipeline-runs', pipelineId: p.id })}>Runs of {p.name}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </AsyncView>
    </section>
  );
}
