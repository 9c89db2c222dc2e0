/** What a finished run found: its data-quality report, a sample of rejected rows, and its open alerts. */
import { useSession } from '../auth/session.tsx';
import { AsyncView } from '../ui/AsyncView.tsx';
import { formatCount, formatTime } from '../ui/format.ts';
import { useAsync } from '../ui/useAsync.ts';

export function RunFindings({ runId }: { readonly runId: string }) {
  const { client } = useSession();
  const [state] = useAsync(async () => {
    const [quality, rejects, alerts] = await Promise.all([
      client.quality(runId),
      client.rejects(runId),
      client.alerts({ limit: 100 }),
    ]);
    return { quality, rejects: rejects.items, alerts: alerts.items.filter((alert) => alert.runId === runId) };
  }, [client, runId]);
  return (
    <AsyncView state={state} label="quality report, rejects and alerts">
      {({ quality, rejects, alerts }) => (
        <>
          <section aria-labelledby="alerts-title">
            <h2 id="alerts-title">Alerts</h2>
            {alerts.length === 0 ? (
              <p>No alerts for this run.</p>
            ) : (
              <ul className="alerts">
                {alerts.map((alert) => (
                  <li key={alert.alertId} className={`alert alert-${alert.level}`}>
                    <strong>{alert.level}</strong> {alert.type}: {alert.message} (
                    {formatTime(alert.createdAt)}){alert.resolved && ' · resolved'}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="quality-title">
            <h2 id="quality-title">Data quality</h2>
            {quality.nodes.length === 0 ? (
              <p>No quality rules ran in this pipeline.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Column</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Checked</th>
                    <th scope="col">Passed</th>
                    <th scope="col">Failed</th>
                  </tr>
                </thead>
                <tbody>
                  {quality.nodes.flatMap((node) =>
                    node.rules.map((rule) => (
                      <tr key={`${node.nodeId}:${rule.rule}:${rule.column ?? ''}`}>
                        <td>{node.nodeId}</td>
                        <td>{rule.rule}</td>
                        <td>{rule.column ?? '—'}</td>
                        <td>{rule.severity}</td>
                        <td>{formatCount(rule.checked)}</td>
                        <td>{formatCount(rule.passed)}</td>
                        <td>{formatCount(rule.failed)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="rejects-title">
            <h2 id="rejects-title">Rejected rows (sample)</h2>
            {rejects.length === 0 ? (
              <p>No rows were rejected.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">Chunk</th>
                    <th scope="col">Line</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Row</th>
                  </tr>
                </thead>
                <tbody>
                  {rejects.map((reject, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: reject samples have no id of their own.
                    <tr key={index}>
                      <td>{reject.nodeId}</td>
                      <td>{reject.chunk}</td>
                      <td>{reject.line ?? '—'}</td>
                      <td>
                        {reject.reason}
                        {reject.column && ` (${reject.column})`}
                      </td>
                      <td>
                        <code>{JSON.stringify(reject.row)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </AsyncView>
  );
}
