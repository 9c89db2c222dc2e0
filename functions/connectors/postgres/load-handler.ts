/** Lambda entry of the `postgres-load` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitSqlLoad } from '../sql-common/load-commit.ts';
import { stageSqlLoad } from '../sql-common/load-stage.ts';
import { postgresDialect } from './dialect.ts';
import { postgresLoadModule } from './module.ts';

export const handler = createLoaderHandler(postgresLoadModule, {
  stage: (config, io) => stageSqlLoad(postgresDialect, config, io),
  commit: (config, io) => commitSqlLoad(postgresDialect, config, io),
});
