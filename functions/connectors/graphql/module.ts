/** `graphql` (extractor): records from a GraphQL API, following cursor pagination. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { GraphqlConfigSchema } from './config.ts';

export const graphqlModule = defineModule({
  name: 'graphql',
  kind: 'extractor',
  title: 'GraphQL API',
  description:
    'Reads records from a GraphQL query with variables at a JSONPath, following `pageInfo { hasNextPage endCursor }` cursor pagination; same auth, retries and SSRF guard as `rest`.',
  configSchema: GraphqlConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
