/** Aggregate's data work: a group's rows share a bucket, so each bucket's GROUP BY is final. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { BarrierKernel } from '../../../shared/modules/kernels.ts';
import { resolveColumn } from '../columns.ts';
import type { AggregateConfig } from './module.ts';

type Aggregate = AggregateConfig['aggregates'][number];

function aggregateSql({ function: fn, expression }: Aggregate): string {
  const value = expression === undefined ? undefined : embedSqlExpression(expression);
  if (fn === 'count') return value === undefined ? 'count(*)' : `count(${value})`;
  if (fn === 'count_distinct') return `count(DISTINCT ${value})`;
  return `${fn}(${value})`;
}

export const aggregateKernel: BarrierKernel<AggregateConfig> = {
  partitionKey: (config, _input, columns) =>
    config.group_by.length === 0
      ? undefined
      : config.group_by
          .map((name) =>
            sqlIdent(resolveColumn(columns, name, { module: 'aggregate', field: 'group_by' }).name),
          )
          .join(', '),
  async reduce({ config, inputColumns }) {
    const columns = inputColumns[0] ?? [];
    const groups = config.group_by.map((name) =>
      sqlIdent(resolveColumn(columns, name, { module: 'aggregate', field: 'group_by' }).name),
    );
    const values = config.aggregates.map(
      (aggregate) => `${aggregateSql(aggregate)} AS ${sqlIdent(aggregate.name)}`,
    );
    const select = `SELECT ${[...groups, ...values].join(', ')} FROM input`;
    return groups.length === 0
      ? select
      : `${select} GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}`;
  },
};
