/** The signed-in frame: navigation, who is signed in, and the routed page (each page its own chunk). */
import { lazy, Suspense } from 'react';
import { useSession } from './auth/session.tsx';
import { href, type Route } from './router/routes.ts';
import { useRoute } from './router/useRoute.ts';

const PipelineList = lazy(() => import('./pipelines/PipelineList.tsx'));
const EditorPage = lazy(() => import('./editor/EditorPage.tsx'));
const PipelineRunsPage = lazy(() => import('./runs/PipelineRunsPage.tsx'));
const RunsPage = lazy(() => import('./runs/RunsPage.tsx'));
const RunPage = lazy(() => import('./runs/RunPage.tsx'));

function Page({ route }: { readonly route: Route }) {
  switch (route.page) {
    case 'pipelines':
      return <PipelineList />;
    case 'editor':
      return <EditorPage pipelineId={route.pipelineId} />;
    case 'pipeline-runs':
      return <PipelineRunsPage pipelineId={route.pipelineId} />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage runId={route.runId} />;
    case 'not-found':
      return (
        <p role="alert">
          No page at <code>{route.path}</code>. Go to the <a href={href({ page: 'pipelines' })}>pipelines</a>.
        </p>
      );
  }
}

export function Shell() {
  const { me, signOut } = useSession();
  const route = useRoute();
  const current = route.page === 'run' || route.page === 'runs' ? 'runs' : 'pipelines';
  return (
    <>
      <header className="app-header">
        <nav aria-label="Main">
          <a href={href({ page: 'pipelines' })} aria-current={current === 'pipelines' ? 'page' : undefined}>
            Pipelines
          </a>
          <a href={href({ page: 'runs' })} aria-current={current === 'runs' ? 'page' : undefined}>
            Runs
          </a>
        </nav>
        <div className="who">
          <span data-testid="who">
            {me.user} · {me.org} · {me.role}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="app-main">
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Page route={route} />
        </Suspense>
      </main>
    </>
  );
}
