/** The config of the SQL loaders (`postgres-load`, `mysql-load`). */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';

export const SQL_LOAD_DEFAULTS = {
  mode: 'append' as 'append' | 'replace' | 'upsert',
  key_columns: [] as string[],
  create_table: true,
  batch_rows: 1_000,
};

export const SqlLoadConfigSchema = z
  .strictObject({
    connection: ConnectionNameSchema.describe(
      'Name of the connection to write to (see `etl connections add`)',
    ),
    table: z.string().min(1).describe('Destination table'),
    schema: z
      .string()
      .min(1)
      .optional()
      .describe("Schema of the table (default: `public`, or the MySQL connection's database)"),
    mode: z
      .enum(['append', 'replace', 'upsert'])
      .default(SQL_LOAD_DEFAULTS.mode)
      .describe(
        '`append` adds rows; `replace` swaps the whole content; `upsert` inserts or updates on `key_columns`',
      ),
    key_columns: z
      .array(z.string().min(1))
      .default(SQL_LOAD_DEFAULTS.key_columns)
      .describe(
        'Columns identifying a row, for `upsert` (a primary key or unique index must cover exactly them)',
      ),
    create_table: z
      .boolean()
      .default(SQL_LOAD_DEFAULTS.create_table)
      .describe('Create the table at commit if it does not exist, with types from the data'),
    batch_rows: z
      .int()
      .min(1)
      .max(10_000)
      .default(SQL_LOAD_DEFAULTS.batch_rows)
      .describe('Rows per INSERT statement when staging'),
  })
  .superRefine((config, context) => {
    if (config.mode === 'upsert' && config.key_columns.length === 0) {
      context.addIssue({ code: 'custom', path: ['key_columns'], message: '`upsert` needs `key_columns`' });
    }
    if (config.mode !== 'upsert' && config.key_columns.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['key_columns'],
        message: '`key_columns` applies to `upsert` only',
      });
    }
  });
export type SqlLoadConfig = z.output<typeof SqlLoadConfigSchema>;
