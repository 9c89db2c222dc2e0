/** The `graphql` extractor's config: a query, its variables and where the connection's nodes and pageInfo are. */
import { z } from 'zod';
import { httpCommonFields, JsonPathSchema } from '../http-common/config.ts';

export const GRAPHQL_DEFAULTS = {
  cursor_variable: 'after',
};

export const GraphqlConfigSchema = z.strictObject({
  ...httpCommonFields,
  query: z.string().min(1).describe('The GraphQL query; it takes the cursor as `$<cursor_variable>`'),
  variables: z.record(z.string(), z.unknown()).optional().describe('Variables sent with every page'),
  records_path: JsonPathSchema.describe(
    'JSONPath of the records in the response, e.g. $.data.repository.issues.nodes',
  ),
  page_info_path: JsonPathSchema.optional().describe(
    'JSONPath of `pageInfo { hasNextPage endCursor }`, e.g. $.data.repository.issues.pageInfo; absent: one page',
  ),
  cursor_variable: z
    .string()
    .min(1)
    .default(GRAPHQL_DEFAULTS.cursor_variable)
    .describe('Variable that receives `endCursor` for the next page (null on the first)'),
});
export type GraphqlConfig = z.output<typeof GraphqlConfigSchema>;
