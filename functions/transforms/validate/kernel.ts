/**
 * The validate transform's kernels. Without a `unique` rule a node runs
 * chunk-local over each chunk; with one it runs as a barrier (see the
 * module's `barrierWhen`): rows are shuffled by the unique key, so each
 * bucket holds every copy of its keys and is checked whole.
 */
import { ORDER_COLUMNS } from '../../../shared/chunks/shuffle.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { BarrierKernel, TransformPlanKernel } from '../../../shared/modules/kernels.ts';
import type { ValidateConfig } from './module.ts';
import { planValidation } from './plan.ts';
import { partitionColumns } from './unique-key.ts';

export type { QualityReport, RuleReport } from './report.ts';

/** Checks one chunk; a `unique` rule here sees only this input (the planner never sends it one chunk of many). */
export const validateKernel: TransformPlanKernel<ValidateConfig> = ({ config, connection, inputColumns }) =>
  planValidation(connection, config, inputColumns, 'chunk');

/** Its reduce's plan keeps its precise type (tests read the rejects and report). */
export const validateBarrierKernel = {
  partitionKey(config, _input, columns) {
    const key = partitionColumns(config.rules);
    if (key === undefined) return undefined;
    const missing = key.find((name) => !columns.some((column) => column.name === name));
    // Config validation rejects unique keys sharing no column; a missing one is a pipeline/input mismatch.
    if (key.length === 0 || missing !== undefined) {
      throw new ConfigError(
        key.length === 0
          ? 'validate: the unique rules share no key column to partition by'
          : `validate: unique key column "${missing}" is not in the input`,
      );
    }
    return key.map(sqlIdent).join(', ');
  },
  reduce: ({ config, connection, inputColumns }) => {
    const columns = (inputColumns[0] ?? []).filter(
      (column) => !(ORDER_COLUMNS as readonly string[]).includes(column.name),
    );
    return planValidation(connection, config, columns, 'bucket');
  },
} satisfies BarrierKernel<ValidateConfig>;
