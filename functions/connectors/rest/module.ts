/** `rest` (extractor): records from a JSON HTTP API, page after page. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { RestConfigSchema } from './config.ts';

export const restModule = defineModule({
  name: 'rest',
  kind: 'extractor',
  title: 'REST API',
  description:
    'Reads records from a JSON HTTP API (GET or POST) at a JSONPath, following page, offset, cursor, Link-header or next-URL pagination; bearer, basic or API-key auth from the secret store; retries 429 and 5xx honouring Retry-After; refuses link-local, metadata and (unless allowed) private addresses.',
  configSchema: RestConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
