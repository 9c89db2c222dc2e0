/** Hash routes: the console is static files, so the server never needs to know the client's paths. */
export type Route =
  | { readonly page: 'pipelines' }
  | { readonly page: 'editor'; readonly pipelineId?: string }
  | { readonly page: 'pipeline-runs'; readonly pipelineId: string }
  | { readonly page: 'runs' }
  | { readonly page: 'run'; readonly runId: string }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0 || (first === 'pipelines' && parts.length === 1)) return { page: 'pipelines' };
  if (first === 'pipelines' && second === 'new' && parts.length === 2) return { page: 'editor' };
  if (first === 'pipelines' && second && parts.length === 2) return { page: 'editor', pipelineId: second };
  if (first === 'pipelines' && second && third === 'runs' && parts.length === 3) {
    return { page: 'pipeline-runs', pipelineId: second };
  }
  if (first === 'runs' && parts.length === 1) return { page: 'runs' };
  if (first === 'runs' && second && parts.length === 2) return { page: 'run', runId: second };
  return { page: 'not-found', path };
}

export function href(route: Exclude<Route, { page: 'not-found' }>): string {
  switch (route.page) {
    case 'pipelines':
      return '#/pipelines';
    case 'editor':
      return route.pipelineId ? `#/pipelines/${encodeURIComponent(route.pipelineId)}` : '#/pipelines/new';
    case 'pipeline-runs':
      return `#/pipelines/${encodeURIComponent(route.pipelineId)}/runs`;
    case 'runs':
      return '#/runs';
    case 'run':
      return `#/runs/${encodeURIComponent(route.runId)}`;
  }
}
