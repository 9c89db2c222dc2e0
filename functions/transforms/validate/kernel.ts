/** The validate transform's data work: per-rule checks, the quality report, rejects and fail-fast. */

import { queryRows } from '../../../shared/duckdb/engine.ts';
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { selectColumns, sqlIdent, sqlLiteral, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError, DataError } from '../../../shared/errors.ts';
import type { ColumnInfo, TransformPlanKernel } from '../../../shared/modules/kernels.ts';
import { ruleName, type ValidateConfig, type ValidateRule } from './module.ts';

/** Examples of failing values kept per rule in the report. */
const EXAMPLES = 3;

export interface RuleReport {
  readonly rule: string;
  readonly column: string;
  readonly check: ValidateRule['check'];
  readonly severity: ValidateRule['severity'];
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  readonly examples: readonly string[];
}

export interface QualityReport {
  readonly rows: number;
  readonly rules: readonly RuleReport[];
}

/** A SQL condition that is TRUE where the row passes the rule; never NULL. */
export function passCondition(rule: ValidateRule): string {
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

function checkColumns(rules: readonly ValidateRule[], columns: readonly ColumnInfo[]): void {
  const names = new Set(columns.map((column) => column.name));
  for (const rule of rules) {
    if (!names.has(rule.column)) {
      throw new ConfigError(`validate rule "${ruleName(rule)}": column "${rule.column}" is not in the input`);
    }
  }
}

async function measure(
  connection: Parameters<TransformPlanKernel<ValidateConfig>>[0]['connection'],
  rules: readonly ValidateRule[],
): Promise<QualityReport> {
  const measures = rules.flatMap((rule, i) => [
    `count(*) FILTER (WHERE NOT ${passCondition(rule)}) AS failed_${i}`,
    `coalesce(min(CAST(${sqlIdent(rule.column)} AS VARCHAR), ${EXAMPLES}) FILTER (WHERE NOT ${passCondition(rule)}), []) AS examples_${i}`,
  ]);
  const [row] = await queryRows(connection, `SELECT count(*) AS checked, ${measures.join(', ')} FROM input`);
  const checked = Number(row?.checked ?? 0);
  return {
    rows: checked,
    rules: rules.map((rule, i) => {
      const failed = Number(row?.[`failed_${i}`] ?? 0);
      const examples = (row?.[`examples_${i}`] as unknown[] | undefined) ?? [];
      return {
        rule: ruleName(rule),
        column: rule.column,
        check: rule.check,
        severity: rule.severity,
        checked,
        passed: checked - failed,
        failed,
        examples: examples.map(String),
      };
    }),
  };
}

function failFast(report: QualityReport): void {
  const failing = report.rules.find((rule) => rule.severity === 'fail' && rule.failed > 0);
  if (failing === undefined) return;
  const example =
    failing.examples.length > 0 ? `, e.g. ${JSON.stringify(failing.examples[0])}` : ', e.g. NULL';
  throw new DataError(
    `validate rule "${failing.rule}" failed on column "${failing.column}" for ${failing.failed} row(s)${example}`,
  );
}

function rejectsQuery(rules: readonly ValidateRule[]): string {
  const whens = (value: (rule: ValidateRule) => string) =>
    rules.map((rule) => `WHEN NOT ${passCondition(rule)} THEN ${value(rule)}`).join(' ');
  const reason = (rule: ValidateRule) =>
    `${sqlString(`rule "${ruleName(rule)}" (${rule.check}) failed on column "${rule.column}": value `)} || coalesce(CAST(${sqlIdent(rule.column)} AS VARCHAR), 'NULL')`;
  return (
    `SELECT record, "column", error_type, reason, raw FROM (SELECT row_number() OVER () AS record, ` +
    `CASE ${whens((rule) => sqlString(rule.column))} END AS "column", ` +
    `CASE ${whens((rule) => sqlString(`validate:${ruleName(rule)}`))} END AS error_type, ` +
    `CASE ${whens(reason)} END AS reason, CAST(to_json(input) AS VARCHAR) AS raw FROM input) WHERE reason IS NOT NULL`
  );
}

export const validateKernel: TransformPlanKernel<ValidateConfig> = async ({
  config,
  connection,
  inputColumns,
}) => {
  checkColumns(config.rules, inputColumns);
  const quality = await measure(connection, config.rules);
  failFast(quality);
  const rejecting = config.rules.filter((rule) => rule.severity === 'reject');
  if (rejecting.length === 0) return { query: 'SELECT * FROM input', quality };
  return {
    query: `SELECT ${selectColumns(inputColumns)} FROM input WHERE ${rejecting.map(passCondition).join(' AND ')}`,
    rejects: rejectsQuery(rejecting),
    quality,
  };
};
