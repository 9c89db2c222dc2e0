/** Route entry of the editor: loads the module registry and, for an existing pipeline, its latest version. */
import { useSession } from '../auth/session.tsx';
import { AsyncView } from '../ui/AsyncView.tsx';
import { useAsync } from '../ui/useAsync.ts';
import { PipelineEditor } from './PipelineEditor.tsx';

export default function EditorPage({ pipelineId }: { readonly pipelineId?: string | undefined }) {
  const { client } = useSession();
  const [state] = useAsync(async () => {
    const [modules, detail] = await Promise.all([
      client.modules(),
      pipelineId ? client.pipeline(pipelineId) : Promise.resolve(undefined),
    ]);
    return { modules: modules.items, detail };
  }, [client, pipelineId]);
  return (
    <AsyncView state={state} label="pipeline">
      {({ modules, detail }) => (
        <PipelineEditor key={pipelineId ?? 'new'} initial={detail} modules={modules} />
      )}
    </AsyncView>
  );
}
