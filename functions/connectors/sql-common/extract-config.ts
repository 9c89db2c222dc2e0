/** The config of the SQL extractors (`postgres`, `mysql`): one schema, so both read sources alike. */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';

export const SQL_EXTRACT_DEFAULTS = {
  mode: 'full' as 'full' | 'incremental',
  fetch_rows: 10_000,
};

export const SqlExtractConfigSchema = z
  .strictObject({
    connection: ConnectionNameSchema.describe('Name of the connection to read (see `etl connections add`)'),
    query: z
      .string()
      .min(1)
      .optional()
      .describe(
        'One SELECT; `$name` binds the pipeline parameter `name` as a value (never as SQL text). Give `query` or `table`',
      ),
    table: z.string().min(1).optional().describe('A table to read whole, instead of `query`'),
    schema: z
      .string()
      .min(1)
      .optional()
      .describe("Schema of `table` (default: `public`, or the MySQL connection's database)"),
    mode: z
      .enum(['full', 'incremental'])
      .default(SQL_EXTRACT_DEFAULTS.mode)
      .describe(
        '`incremental` reads only rows whose `cursor_column` is above the watermark of the last successful run',
      ),
    cursor_column: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Column whose maximum is the watermark (required for `incremental`); rows where it is NULL are skipped',
      ),
    initial_watermark: z
      .union([z.string(), z.number()])
      .optional()
      .describe('Lower bound (exclusive) of the first incremental run; default: no bound'),
    partition_column: z
      .string()
      .min(1)
      .optional()
      .describe('Integer column whose value ranges split the read into chunks read in parallel'),
    fetch_rows: z
      .int()
      .min(1)
      .max(1_000_000)
      .default(SQL_EXTRACT_DEFAULTS.fetch_rows)
      .describe('Rows per round trip of the server-side cursor'),
  })
  .superRefine((config, context) => {
    if ((config.query === undefined) === (config.table === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['query'],
        message: 'give exactly one of `query` or `table`',
      });
    }
    if (config.schema !== undefined && config.table === undefined) {
      context.addIssue({ code: 'custom', path: ['schema'], message: '`schema` goes with `table`' });
    }
    if (config.mode === 'incremental' && config.cursor_column === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['cursor_column'],
        message: '`incremental` mode needs a `cursor_column`',
      });
    }
    if (config.initial_watermark !== undefined && config.mode !== 'incremental') {
      context.addIssue({
        code: 'custom',
        path: ['initial_watermark'],
        message: '`initial_watermark` applies to `incremental` mode only',
      });
    }
  });
export type SqlExtractConfig = z.output<typeof SqlExtractConfigSchema>;
