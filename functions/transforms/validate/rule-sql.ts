/** Each validate rule as DuckDB SQL: when a row passes it, and what its failure says. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { sqlIdent, sqlLiteral, sqlString } from '../../../shared/duckdb/sql.ts';
import { columnLabel, ruleColumns, ruleName, type ValidateRule } from './rules.ts';
import { uniqueRules } from './unique-key.ts';

/**
 * The helper column holding, per row, how many rows share its `unique` key
 * (rule `index` of the config). Hidden from output, rejects and reports.
 */
export function keyCountColumn(index: number): string {
  return sqlIdent(`_etl_unique_${index}`);
}

/** `count(*) OVER (PARTITION BY key)` per unique rule, or none: the window a relation needs for its rules. */
export function keyCountWindows(rules: readonly ValidateRule[]): string[] {
  return uniqueRules(rules).map(
    ({ rule, index }) =>
      `count(*) OVER (PARTITION BY ${ruleColumns(rule).map(sqlIdent).join(', ')}) AS ${keyCountColumn(index)}`,
  );
}

/** The checked value as text: the column, or a composite key as `(a, b)`. */
export function valueText(rule: ValidateRule): string {
  const columns = ruleColumns(rule).map(sqlIdent);
  return columns.length === 1
    ? `CAST(${columns[0]} AS VARCHAR)`
    : `CAST(row(${columns.join(', ')}) AS VARCHAR)`;
}

/**
 * A SQL condition that is TRUE where the row passes rule `index`; never NULL.
 * A `unique` rule reads its key count column (see keyCountWindows).
 */
export function passCondition(rule: ValidateRule, index: number): string {
  if (rule.check === 'unique') {
    // A key with a NULL in any column is never a duplicate (SQL UNIQUE semantics).
    const nullKey = ruleColumns(rule).map((name) => `${sqlIdent(name)} IS NULL`);
    return `(${[...nullKey, `${keyCountColumn(index)} = 1`].join(' OR ')})`;
  }
  const column = sqlIdent(rule.column);
  const text = `CAST(${column} AS VARCHAR)`;
  const nullOr = (condition: string) => `(${column} IS NULL OR ${condition})`;
  switch (rule.check) {
    case 'not_null':
      return `(${column} IS NOT NULL)`;
    case 'range': {
      const bounds = [
        rule.min === undefined ? undefined : `${column} >= ${sqlLiteral(rule.min)}`,
        rule.max === undefined ? undefined : `${column} <= ${sqlLiteral(rule.max)}`,
      ].filter((bound) => bound !== undefined);
      return `coalesce(${nullOr(bounds.join(' AND '))}, TRUE)`;
    }
    case 'regex':
      return `coalesce(${nullOr(`regexp_matches(${text}, ${sqlString(rule.pattern)})`)}, TRUE)`;
    case 'in_set':
      return `coalesce(${nullOr(`${text} IN (${rule.values.map((value) => sqlString(String(value))).join(', ')})`)}, TRUE)`;
    case 'max_length':
      return `coalesce(${nullOr(`length(${text}) <= ${rule.length}`)}, TRUE)`;
    case 'type':
      return `coalesce(${nullOr(`TRY_CAST(${column} AS ${rule.type}) IS NOT NULL`)}, TRUE)`;
    case 'predicate':
      return `coalesce(${embedSqlExpression(rule.expression)}, TRUE)`;
  }
}

/** The reason a row failed rule `index`, as a SQL string expression over the row. */
export function failureReason(rule: ValidateRule, index: number): string {
  const prefix = sqlString(
    `rule "${ruleName(rule)}" (${rule.check}) failed on column "${columnLabel(rule)}": value `,
  );
  const value = `coalesce(${valueText(rule)}, 'NULL')`;
  if (rule.check !== 'unique') return `${prefix} || ${value}`;
  return `${prefix} || ${value} || ' appears ' || CAST(${keyCountColumn(index)} AS VARCHAR) || ' times in the input'`;
}
