/** The `rest` extractor's config: the request, the records' path and how pages follow one another. */
import { z } from 'zod';
import { HTTP_DEFAULTS, httpCommonFields, JsonPathSchema } from '../http-common/config.ts';

export const REST_DEFAULTS = {
  page_param: 'page',
  first_page: 1,
  offset_param: 'offset',
  limit_param: 'limit',
  limit: 100,
  cursor_param: 'cursor',
};

export const RestPaginationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('page'),
    param: z.string().min(1).default(REST_DEFAULTS.page_param).describe('Query parameter of the page number'),
    first_page: z.int().min(0).default(REST_DEFAULTS.first_page),
    size_param: z
      .string()
      .min(1)
      .optional()
      .describe('Query parameter of the page size, if the API takes one'),
    size: z.int().min(1).optional().describe('Page size sent in `size_param`; a shorter page is the last'),
  }),
  z.strictObject({
    type: z.literal('offset'),
    param: z.string().min(1).default(REST_DEFAULTS.offset_param),
    limit_param: z.string().min(1).default(REST_DEFAULTS.limit_param),
    limit: z
      .int()
      .min(1)
      .default(REST_DEFAULTS.limit)
      .describe('Records per request; a shorter page is the last'),
  }),
  z.strictObject({
    type: z.literal('cursor'),
    param: z
      .string()
      .min(1)
      .default(REST_DEFAULTS.cursor_param)
      .describe('Query parameter carrying the cursor'),
    cursor_path: JsonPathSchema.describe('JSONPath of the next cursor in the body; absent, null or "" ends'),
  }),
  z.strictObject({ type: z.literal('link_header') }),
  z.strictObject({
    type: z.literal('next_url'),
    next_url_path: JsonPathSchema.describe('JSONPath of the next page URL in the body; absent or null ends'),
  }),
]);
export type RestPagination = z.output<typeof RestPaginationSchema>;

export const RestConfigSchema = z.strictObject({
  ...httpCommonFields,
  method: z.enum(['GET', 'POST']).default(HTTP_DEFAULTS.method),
  query: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('Query parameters added to the URL of the first page'),
  body: z.unknown().optional().describe('JSON body of a POST'),
  records_path: JsonPathSchema.default(HTTP_DEFAULTS.records_path).describe(
    'JSONPath of the array of records in each response, e.g. $.data.items',
  ),
  pagination: RestPaginationSchema.default({ type: 'none' }).describe(
    'none, page, offset, cursor (from the body), link_header (rel=next) or next_url (from the body)',
  ),
});
export type RestConfig = z.output<typeof RestConfigSchema>;
