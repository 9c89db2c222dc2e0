/** Dedup's data work: rows with equal keys share a bucket; keep the first of each key there. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import type { BarrierKernel } from '../../../shared/modules/kernels.ts';
import type { DedupConfig } from './module.ts';

const keyList = (config: DedupConfig) => config.keys.map(embedSqlExpression).join(', ');

export const dedupKernel: BarrierKernel<DedupConfig> = {
  partitionKey: (config) => keyList(config),
  async reduce({ config }) {
    const rank = config.order_by
      ? `${embedSqlExpression(config.order_by)} ${config.descending ? 'DESC' : 'ASC'} NULLS LAST, `
      : '';
    // Ties (and no order_by) fall back to input order: the same row wins however the input was chunked.
    // No ORDER BY on the output: a bucket mixes hash-spread rows, so it has no input order to restore
    // (what it keeps is identical either way), and sorting it cost a third of the reduce (bench/README.md).
    return [
      'SELECT * FROM input',
      `QUALIFY row_number() OVER (PARTITION BY ${keyList(config)} ORDER BY ${rank}_etl_chunk, _etl_row) = 1`,
    ].join('\n');
  },
};
