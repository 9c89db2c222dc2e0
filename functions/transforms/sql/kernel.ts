/** The sql transform's data work: the user's checked SELECT, as a subquery. */
import { embedSqlQuery } from '../../../shared/duckdb/expression-check.ts';
import type { TransformKernel } from '../../../shared/modules/kernels.ts';
import type { SqlConfig } from './module.ts';

export const sqlKernel: TransformKernel<SqlConfig> = async ({ config }) => embedSqlQuery(config.query);
