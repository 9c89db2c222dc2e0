/** `mysql` (extractor) and `mysql-load` (loader): MySQL or MariaDB through a named connection. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { SqlExtractConfigSchema } from '../sql-common/extract-config.ts';
import { SqlLoadConfigSchema } from '../sql-common/load-config.ts';

export const mysqlModule = defineModule({
  name: 'mysql',
  kind: 'extractor',
  title: 'MySQL / MariaDB query',
  description:
    'Reads a MySQL or MariaDB query or table as a stream, parameters bound as values, types kept (decimal, timestamps, json); parallel by ranges of an integer column; full or incremental by a watermark column.',
  configSchema: SqlExtractConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});

export const mysqlLoadModule = defineModule({
  name: 'mysql-load',
  kind: 'loader',
  title: 'MySQL / MariaDB table',
  description:
    'Writes to a MySQL or MariaDB table (append, replace or upsert on key columns): chunks are staged in a staging table, then published in one transaction when the run succeeds.',
  configSchema: SqlLoadConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
