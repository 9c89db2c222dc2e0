/** Lambda entry of the `mysql-load` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitSqlLoad } from '../sql-common/load-commit.ts';
import { stageSqlLoad } from '../sql-common/load-stage.ts';
import { mysqlDialect } from './dialect.ts';
import { mysqlLoadModule } from './module.ts';

export const handler = createLoaderHandler(mysqlLoadModule, {
  stage: (config, io) => stageSqlLoad(mysqlDialect, config, io),
  commit: (config, io) => commitSqlLoad(mysqlDialect, config, io),
});
