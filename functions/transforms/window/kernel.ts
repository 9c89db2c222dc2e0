/**
 * Window's data work: a partition's rows share a bucket, so each bucket's
 * window functions are final. Ties in the order fall back to input order
 * (`_etl_chunk`, `_etl_row`), so results do not depend on the chunking.
 */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { BarrierKernel, ColumnInfo } from '../../../shared/modules/kernels.ts';
import { resolveColumn, sameColumnName } from '../columns.ts';
import type { WindowConfig, WindowFunction } from './module.ts';

const INPUT_ORDER = ['_etl_chunk', '_etl_row'];

function partitionColumns(config: WindowConfig, columns: readonly ColumnInfo[]): string[] {
  return config.partition_by.map((name) =>
    sqlIdent(resolveColumn(columns, name, { module: 'window', field: 'partition_by' }).name),
  );
}

function windowSpec(partition: readonly string[], order: readonly string[], frame = ''): string {
  const parts = [
    partition.length > 0 ? `PARTITION BY ${partition.join(', ')}` : '',
    order.length > 0 ? `ORDER BY ${order.join(', ')}` : '',
    frame,
  ];
  return `(${parts.filter((part) => part !== '').join(' ')})`;
}

function functionSql(fn: WindowFunction, partition: readonly string[], userOrder: readonly string[]): string {
  const order = [...userOrder, ...INPUT_ORDER];
  const value = fn.expression === undefined ? '' : embedSqlExpression(fn.expression);
  switch (fn.function) {
    case 'row_number':
      return `row_number() OVER ${windowSpec(partition, order)}`;
    case 'rank':
    case 'dense_rank':
      // Peers by the user's order only: equal keys share a rank whatever the input order.
      return `${fn.function}() OVER ${windowSpec(partition, userOrder)}`;
    case 'lag':
    case 'lead':
      return `${fn.function}(${value}, ${fn.offset}) OVER ${windowSpec(partition, order)}`;
    default: {
      // Row frames: a running total grows by exactly one row at a time, ties included.
      const frame = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
      const aggregate = fn.function.slice('running_'.length);
      const argument = fn.function === 'running_count' && value === '' ? '*' : value;
      return `${aggregate}(${argument}) OVER ${windowSpec(partition, order, frame)}`;
    }
  }
}

export const windowKernel: BarrierKernel<WindowConfig> = {
  partitionKey: (config, _input, columns) => {
    const partition = partitionColumns(config, columns);
    return partition.length === 0 ? undefined : partition.join(', ');
  },
  async reduce({ config, inputColumns }) {
    const columns = inputColumns[0] ?? [];
    for (const [index, fn] of config.functions.entries()) {
      if (columns.some((column) => sameColumnName(column.name, fn.name))) {
        throw new ConfigError(
          `window: functions[${index}].name ${JSON.stringify(fn.name)} is already an input column; choose another name`,
        );
      }
    }
    const partition = partitionColumns(config, columns);
    const userOrder = config.order_by.map(
      (key) =>
        `${embedSqlExpression(key.expression)} ${key.descending ? 'DESC' : 'ASC'} NULLS ${key.nulls === 'first' ? 'FIRST' : 'LAST'}`,
    );
    const added = config.functions.map(
      (fn) => `${functionSql(fn, partition, userOrder)} AS ${sqlIdent(fn.name)}`,
    );
    return `SELECT *, ${added.join(', ')} FROM input ORDER BY ${INPUT_ORDER.join(', ')}`;
  },
};
