/** `webhook` loader: rows POSTed as JSON batches with idempotency keys, sent once the run succeeds. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { WebhookConfigSchema } from './config.ts';

export const webhookModule = defineModule({
  name: 'webhook',
  kind: 'loader',
  title: 'Webhook',
  description:
    'POSTs rows as JSON arrays of `batch_size` to a URL of an `http` connection, each batch with an `Idempotency-Key: <runId>:<nodeId>:<chunk>:<batch>` header; chunks are staged and sent in Finalize, so a failed run sends nothing; 429 and 5xx are retried honouring Retry-After.',
  configSchema: WebhookConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
