/** The saved versions of a pipeline, and the diff of any two of them. */
import { useState } from 'react';
import { useSession } from '../auth/session.tsx';
import { AsyncView } from '../ui/AsyncView.tsx';
import { formatTime } from '../ui/format.ts';
import { useAsync } from '../ui/useAsync.ts';
import { type DiffEntry, diffJson } from './json-diff.ts';

function show(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

function DiffTable({ entries }: { readonly entries: readonly DiffEntry[] }) {
  if (entries.length === 0) return <p>The two versions are identical.</p>;
  return (
    <table className="diff-table">
      <caption className="visually-hidden">Differences</caption>
      <thead>
        <tr>
          <th scope="col">Path</th>
          <th scope="col">Change</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.path} className={`diff-${entry.kind}`}>
            <td>
              <code>{entry.path}</code>
            </td>
            <td>{entry.kind}</td>
            <td>
              <code>{show(entry.before)}</code>
            </td>
            <td>
              <code>{show(entry.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VersionDiff({
  pipelineId,
  from,
  to,
}: {
  readonly pipelineId: string;
  readonly from: number;
  readonly to: number;
}) {
  const { client } = useSession();
  const [state] = useAsync(async () => {
    const [a, b] = await Promise.all([client.version(pipelineId, from), client.version(pipelineId, to)]);
    return diffJson(a.pipeline, b.pipeline);
  }, [client, pipelineId, from, to]);
  return (
    <AsyncView state={state} label="diff">
      {(entries) => <DiffTable entries={entries} />}
    </AsyncView>
  );
}

export function VersionsPanel({
  pipelineId,
  latest,
}: {
  readonly pipelineId: string;
  readonly latest: number;
}) {
  const { client } = useSession();
  const [state] = useAsync(() => client.versions(pipelineId), [client, pipelineId, latest]);
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <AsyncView state={state} label="versions">
        {(page) => (
          <>
            <ul className="versions">
              {page.items.map((v) => (
                <li key={v.version}>
                  v{v.version} · {formatTime(v.createdAt)} · {v.createdBy}
                </li>
              ))}
            </ul>
            <div className="diff-pickers">
              {(['from', 'to'] as const).map((which) => (
                <label key={which}>
                  {which === 'from' ? 'Compare version' : 'with version'}{' '}
                  <select
                    value={which === 'from' ? from : to}
                    onChange={(event) => (which === 'from' ? setFrom : setTo)(Number(event.target.value))}
                  >
                    {page.items.map((v) => (
                      <option key={v.version} value={v.version}>
                        v{v.version}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            <VersionDiff pipelineId={pipelineId} from={from} to={to} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
