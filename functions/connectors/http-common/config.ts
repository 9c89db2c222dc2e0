/** Config fields shared by the `rest` and `graphql` extractors: auth, limits, retries, the SSRF switch. */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';
import { isSupportedJsonPath } from './json-path.ts';

export const HTTP_DEFAULTS = {
  method: 'GET' as 'GET' | 'POST',
  records_path: '$',
  max_pages: 10_000,
  timeout_seconds: 30,
  max_attempts: 5,
  /** First backoff step; doubled per attempt, with jitter, when no Retry-After is given. */
  backoff_base_ms: 500,
  /** No wait (backoff or Retry-After) is longer than this; a longer Retry-After fails the attempt as transient. */
  max_retry_delay_seconds: 60,
  allow_private_network: false,
  max_redirects: 5,
};

export const JsonPathSchema = z
  .string()
  .min(1)
  .refine(isSupportedJsonPath, 'use a dotted JSONPath such as $.data.items or $.pages[0].next');

const secretField = ConnectionNameSchema.describe(
  'Name of the secret holding the credential, stored as a connection secret (etl/<org>/connections/<name>)',
);

export const HttpAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), secret: secretField }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().min(1),
    secret: secretField.describe('Secret holding the password'),
  }),
  z.strictObject({
    type: z.literal('api_key'),
    secret: secretField,
    in: z.enum(['header', 'query']).default('header'),
    name: z.string().min(1).describe('Header or query parameter name, e.g. X-API-Key or api_key'),
  }),
]);
export type HttpAuth = z.output<typeof HttpAuthSchema>;

/** Fields every HTTP extractor takes. */
export const httpCommonFields = {
  url: z.url({ protocol: /^https?$/ }).describe('Absolute http(s) URL of the endpoint (the first page)'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra request headers (not secret: credentials go in `auth`)'),
  auth: HttpAuthSchema.optional().describe(
    'bearer, basic or api_key (header or query), the credential read from the secret store',
  ),
  max_pages: z
    .int()
    .min(1)
    .default(HTTP_DEFAULTS.max_pages)
    .describe('Stop with an error beyond this many pages'),
  timeout_seconds: z.int().min(1).max(300).default(HTTP_DEFAULTS.timeout_seconds).describe('Per request'),
  max_attempts: z
    .int()
    .min(1)
    .max(10)
    .default(HTTP_DEFAULTS.max_attempts)
    .describe('Attempts per request on 429, 5xx or a network error, honouring Retry-After'),
  allow_private_network: z
    .boolean()
    .default(HTTP_DEFAULTS.allow_private_network)
    .describe(
      'Allow private and loopback addresses (10/8, 172.16/12, 192.168/16, 127/8, ::1, fc00::/7); link-local and metadata addresses are always refused',
    ),
};

export interface HttpCommonConfig {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly auth?: HttpAuth | undefined;
  readonly max_pages: number;
  readonly timeout_seconds: number;
  readonly max_attempts: number;
  readonly allow_private_network: boolean;
}
