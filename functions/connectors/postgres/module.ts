/** `postgres` (extractor) and `postgres-load` (loader): PostgreSQL through a named connection. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { SqlExtractConfigSchema } from '../sql-common/extract-config.ts';
import { SqlLoadConfigSchema } from '../sql-common/load-config.ts';

export const postgresModule = defineModule({
  name: 'postgres',
  kind: 'extractor',
  title: 'PostgreSQL query',
  description:
    'Reads a PostgreSQL query or table through a server-side cursor, parameters bound as values, types kept (numeric, timestamptz, json); parallel by ranges of an integer column; full or incremental by a watermark column.',
  configSchema: SqlExtractConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});

export const postgresLoadModule = defineModule({
  name: 'postgres-load',
  kind: 'loader',
  title: 'PostgreSQL table',
  description:
    'Writes to a PostgreSQL table (append, replace or upsert on key columns): chunks are staged in a staging table, then published in one transaction when the run succeeds.',
  configSchema: SqlLoadConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
