/** `sql`: a user's DuckDB SELECT over the chunk, exposed as the table `input`. */
import { z } from 'zod';
import { checkSqlQuery } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { sqlLineage } from './lineage.ts';

export const SqlConfigSchema = z.strictObject({
  query: z
    .string()
    .min(1)
    .describe(
      'One DuckDB SELECT over the table "input" (this node\'s rows), e.g. ' +
        'SELECT *, upper(name) AS name_upper FROM input WHERE amount > 0. ' +
        'It runs once per chunk: aggregates, DISTINCT, ORDER BY and window functions see one chunk only; ' +
        'use the aggregate, dedup or sort modules for work over the whole dataset. ' +
        'Table functions (read_csv, glob, ...) and other tables are refused.',
    ),
});

export type SqlConfig = z.output<typeof SqlConfigSchema>;

export const sqlModule = defineModule({
  name: 'sql',
  kind: 'transformer',
  title: 'SQL query',
  description:
    'Runs a DuckDB SELECT over the input table "input", chunk by chunk; aggregates see one chunk at a time.',
  configSchema: SqlConfigSchema,
  chunkLocal: true,
  checkConfig: async (config: SqlConfig): Promise<ConfigIssue[]> => {
    const message = await checkSqlQuery(config.query);
    return message === undefined ? [] : [{ path: ['query'], message }];
  },
  lineage: sqlLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
