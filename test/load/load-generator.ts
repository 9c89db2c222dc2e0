/**
 * The load generator, in its own process (started by api-load.ts): autocannon
 * at a fixed overall rate over a mixed request cycle. Each connection repeats
 * the cycle: mostly reads, one POST /api/validate and one PUT. A PUT checks a
 * pipeline out of the writers' pool and puts it back when its answer arrives,
 * so no two saves of one pipeline are ever in flight and `expectedVersion` is
 * always the latest (a 409 here is a real conflict, not a race of the test's
 * making). autocannon resets a connection's context at each cycle, hence a
 * pool rather than one pipeline per connection; it holds more pipelines than
 * connections, so a PUT that never gets an answer cannot starve the others.
 * Reads its settings from LOAD_GENERATOR_CONFIG; prints one JSON document.
 */
import autocannon from 'autocannon';
import type { RouteCount } from './results.ts';

export interface GeneratorConfig {
  readonly url: string;
  readonly token: string;
  readonly rps: number;
  readonly seconds: number;
  readonly connections: number;
  readonly readIds: readonly string[];
  readonly writerIds: readonly string[];
  readonly runIds: readonly string[];
  /** The document every PUT and validate sends (its id replaced per writer). */
  readonly pipeline: Readonly<Record<string, unknown>>;
}

export interface GeneratorOutput {
  readonly result: autocannon.Result;
  readonly routes: readonly RouteCount[];
}

/** What a connection remembers during one cycle. */
interface CycleState {
  pipelineId?: string;
}

const config = JSON.parse(process.env.LOAD_GENERATOR_CONFIG ?? '') as GeneratorConfig;
const counts = new Map<string, { requests: number; non2xx: number }>();
/** Writer pipelines not being saved right now, and each one's latest version. */
const idle = [...config.writerIds];
const versions = new Map(config.writerIds.map((id) => [id, 1]));

const pick = (ids: readonly string[]) => ids[Math.floor(Math.random() * ids.length)] ?? '';
const state = (context: object) => context as CycleState;

function counted(route: string, request: autocannon.Request): autocannon.Request {
  const previous = request.onResponse;
  return {
    ...request,
    onResponse: (status, body, context, headers) => {
      const count = counts.get(route) ?? { requests: 0, non2xx: 0 };
      count.requests += 1;
      if (status < 200 || status > 299) count.non2xx += 1;
      counts.set(route, count);
      if (typeof previous === 'function') previous(status, body, context, headers);
    },
  };
}

const get = (route: string, path: () => string) =>
  counted(route, { method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) });

const save = counted('PUT /api/pipelines/{id}', {
  method: 'PUT',
  setupRequest: (request, context) => {
    const id = idle.shift();
    if (id === undefined) throw new Error('every writer pipeline is being saved: saves got no answer');
    state(context).pipelineId = id;
    const version = versions.get(id) ?? 1;
    const pipeline = { ...config.pipeline, id, description: `load version ${version + 1}` };
    return {
      ...request,
      path: `/api/pipelines/${id}`,
      body: JSON.stringify({ pipeline, expectedVersion: version }),
    };
  },
  onResponse: (status, body, context) => {
    const id = state(context).pipelineId;
    if (id === undefined) return;
    if (status === 200) versions.set(id, (JSON.parse(body) as { version: number }).version);
    idle.push(id);
  },
});

const validate = counted('POST /api/validate', {
  method: 'POST',
  setupRequest: (request) => ({ ...request, path: '/api/validate', body: JSON.stringify(config.pipeline) }),
});

const cycle: autocannon.Request[] = [
  get('GET /api/pipelines', () => '/api/pipelines'),
  get('GET /api/pipelines/{id}', () => `/api/pipelines/${pick(config.readIds)}`),
  get('GET /api/runs', () => '/api/runs'),
  get('GET /api/runs/{id}', () => `/api/runs/${pick(config.runIds)}`),
  get('GET /api/pipelines/{id}', () => `/api/pipelines/${pick(config.readIds)}`),
  validate,
  get('GET /api/runs/{id}', () => `/api/runs/${pick(config.runIds)}`),
  get('GET /api/pipelines', () => '/api/pipelines'),
  get('GET /api/pipelines/{id}', () => `/api/pipelines/${pick(config.readIds)}`),
  save,
];

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  overallRate: config.rps,
  duration: config.seconds,
  headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
  requests: cycle,
});
const routes = [...counts.entries()]
  .map(([route, count]) => ({ route, ...count }))
  .sort((a, b) => a.route.localeCompare(b.route));
const output: GeneratorOutput = { result, routes };
process.stdout.write(`${JSON.stringify(output)}\n`);
