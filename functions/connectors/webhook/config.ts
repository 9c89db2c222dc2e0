/** Config of the `webhook` loader: where batches go (an `http` connection) and how big they are. */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';
import { HTTP_DEFAULTS } from '../http-common/config.ts';

export const WEBHOOK_DEFAULTS = {
  path: '',
  batch_size: 500,
  timeout_seconds: HTTP_DEFAULTS.timeout_seconds,
  max_attempts: HTTP_DEFAULTS.max_attempts,
};

export const WebhookConfigSchema = z.strictObject({
  connection: ConnectionNameSchema.describe(
    'An `http` connection: base URL, auth (bearer, basic or API-key header) and the SSRF switch',
  ),
  path: z
    .string()
    .default(WEBHOOK_DEFAULTS.path)
    .describe('Resolved against the connection\'s base URL, e.g. "hooks/orders"; must keep its origin'),
  batch_size: z
    .int()
    .min(1)
    .max(10_000)
    .default(WEBHOOK_DEFAULTS.batch_size)
    .describe('Rows per POST; the body is a JSON array of row objects'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra request headers (not secret: credentials come from the connection)'),
  timeout_seconds: z.int().min(1).max(300).default(WEBHOOK_DEFAULTS.timeout_seconds).describe('Per request'),
  max_attempts: z
    .int()
    .min(1)
    .max(10)
    .default(WEBHOOK_DEFAULTS.max_attempts)
    .describe('Attempts per batch on 429, 5xx or a network error, honouring Retry-After'),
});
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;
