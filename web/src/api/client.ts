/** The console's only way to the platform: typed calls to the REST API with the signed-in user's token. */
import { ApiError, parseProblem } from './problem.ts';
import type {
  Alert,
  Me,
  ModuleInfo,
  Page,
  PipelineDetail,
  PipelineDoc,
  PipelineSummary,
  QualityReport,
  RejectSample,
  RunDetail,
  RunSummary,
  ValidateResponse,
  VersionInfo,
} from './types.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

type Query = Record<string, string | number | boolean | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class ApiClient {
  /** `onUnauthorized` runs on any 401, so an expired token sends the user back to sign-in from any page. */
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly onUnauthorized: (error: ApiError) => void = () => {},
  ) {}

  private async send(
    method: string,
    path: string,
    body?: unknown,
    accept = 'application/json',
  ): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      const error = new ApiError(response.status, parseProblem(await response.text()), method, path);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    // The API is the contract: its documented shapes are trusted once the status is OK.
    return (await response.json()) as T;
  }

  me(): Promise<Me> {
    return this.json('GET', '/me');
  }

  modules(): Promise<Page<ModuleInfo>> {
    return this.json('GET', '/modules');
  }

  validate(pipeline: PipelineDoc): Promise<ValidateResponse> {
    return this.json('POST', '/validate', pipeline);
  }

  pipelines(query: Query = {}): Promise<Page<PipelineSummary>> {
    return this.json('GET', withQuery('/pipelines', query));
  }

  pipeline(id: string): Promise<PipelineDetail> {
    return this.json('GET', `/pipelines/${encodeURIComponent(id)}`);
  }

  createPipeline(pipeline: PipelineDoc): Promise<PipelineDetail> {
    return this.json('POST', '/pipelines', pipeline);
  }

  updatePipeline(id: string, pipeline: PipelineDoc, expectedVersion: number): Promise<PipelineDetail> {
    return this.json('PUT', `/pipelines/${encodeURIComponent(id)}`, { pipeline, expectedVersion });
  }

  deletePipeline(id: string): Promise<void> {
    return this.json('DELETE', `/pipelines/${encodeURIComponent(id)}`);
  }

  versions(id: string): Promise<Page<VersionInfo>> {
    return this.json('GET', `/pipelines/${encodeURIComponent(id)}/versions`);
  }

  version(id: string, version: number): Promise<PipelineDetail> {
    return this.json('GET', `/pipelines/${encodeURIComponent(id)}/versions/${version}`);
  }

  startRun(id: string, parameters: Record<string, unknown>): Promise<{ runId: string }> {
    return this.json('POST', `/pipelines/${encodeURIComponent(id)}/runs`, { parameters });
  }

  runs(query: Query = {}): Promise<Page<RunSummary>> {
    return this.json('GET', withQuery('/runs', query));
  }

  run(runId: string): Promise<RunDetail> {
    return this.json('GET', `/runs/${encodeURIComponent(runId)}`);
  }

  cancelRun(runId: string): Promise<RunSummary> {
    return this.json('POST', `/runs/${encodeURIComponent(runId)}/cancel`);
  }

  redriveRun(runId: string): Promise<RunSummary> {
    return this.json('POST', `/runs/${encodeURIComponent(runId)}/redrive`);
  }

  rejects(runId: string, query: Query = {}): Promise<Page<RejectSample>> {
    return this.json('GET', withQuery(`/runs/${encodeURIComponent(runId)}/rejects`, { limit: 50, ...query }));
  }

  quality(runId: string): Promise<QualityReport> {
    return this.json('GET', `/runs/${encodeURIComponent(runId)}/quality`);
  }

  alerts(query: Query = {}): Promise<Page<Alert>> {
    return this.json('GET', withQuery('/alerts', query));
  }

  /** Arrow IPC stream bytes of a node's output sample. */
  async preview(pipeline: PipelineDoc, nodeId: string, limit: number): Promise<Uint8Array> {
    const response = await this.send('POST', '/preview', { pipeline, nodeId, limit }, ARROW_STREAM);
    return new Uint8Array(await response.arrayBuffer());
  }
}
