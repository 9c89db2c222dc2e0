/** A small HTTP client for the API tests: real requests, every response checked against the OpenAPI document. */
import type { ResponseChecker } from './openapi-checker.ts';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly params?: Record<string, string | number>;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly rawBody?: string;
  /** Overrides the client's token; `null` sends none. */
  readonly token?: string | null;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  readonly headers?: Record<string, string>;
}

export class ApiClient {
  /** Operations called (`METHOD /template`), for coverage checks. */
  readonly called = new Set<string>();

  constructor(
    readonly baseUrl: string,
    private readonly checker: ResponseChecker,
    private readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    const client = new ApiClient(this.baseUrl, this.checker, token);
    return client;
  }

  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the OpenAPI document instead
  async call<T = any>(method: string, template: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    let path = template;
    for (const [name, value] of Object.entries(options.params ?? {})) {
      path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
    }
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const parsed = text === '' ? undefined : contentType?.includes('json') ? JSON.parse(text) : text;
    this.checker.check(method, template, response.status, contentType, parsed);
    this.called.add(`${method.toUpperCase()} ${template}`);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
