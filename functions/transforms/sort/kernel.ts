/** Sort's data work: every row goes to one bucket, sorted there (stable: ties keep input order). */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import type { BarrierKernel } from '../../../shared/modules/kernels.ts';
import type { SortConfig } from './module.ts';

export const sortKernel: BarrierKernel<SortConfig> = {
  partitionKey: () => undefined,
  async reduce({ config }) {
    const keys = config.by.map(
      (key) =>
        `${embedSqlExpression(key.expression)} ${key.descending ? 'DESC' : 'ASC'} NULLS ${key.nulls === 'first' ? 'FIRST' : 'LAST'}`,
    );
    return `SELECT * FROM input ORDER BY ${[...keys, '_etl_chunk', '_etl_row'].join(', ')}`;
  },
};
