/** The derive's data work: one projection per derived column, chained as CTEs. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { TransformKernel } from '../../../shared/modules/kernels.ts';
import { sameColumnName } from '../columns.ts';
import type { DeriveConfig } from './module.ts';

type DerivedColumn = DeriveConfig['columns'][number];

/** The select list that adds or replaces `derived`, and the column names it yields. */
function projection(columns: readonly string[], derived: DerivedColumn) {
  const value = `${embedSqlExpression(derived.expression)} AS ${sqlIdent(derived.name)}`;
  if (!columns.some((name) => sameColumnName(name, derived.name))) {
    return { selectList: [...columns.map(sqlIdent), value], columns: [...columns, derived.name] };
  }
  return {
    selectList: columns.map((name) => (sameColumnName(name, derived.name) ? value : sqlIdent(name))),
    columns: columns.map((name) => (sameColumnName(name, derived.name) ? derived.name : name)),
  };
}

// Step i reads step i-1, so a later expression sees the columns derived before it.
export const deriveKernel: TransformKernel<DeriveConfig> = async ({ config, inputColumns }) => {
  let columns = inputColumns.map((column) => column.name);
  let previous = 'input';
  const steps: string[] = [];
  for (const [index, derived] of config.columns.entries()) {
    const step = projection(columns, derived);
    const name = sqlIdent(`derive_${index + 1}`);
    steps.push(`${name} AS (SELECT ${step.selectList.join(', ')} FROM ${previous})`);
    columns = step.columns;
    previous = name;
  }
  return `WITH ${steps.join(',\n')}\nSELECT * FROM ${previous}`;
};
