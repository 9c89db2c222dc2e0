/**
 * The validate node's data work over one relation: check every rule, fail
 * fast on `fail` rules, keep the rows that pass the `reject` rules and
 * quarantine the others with the first rule they failed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { selectColumns, sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { ValidateConfig } from './module.ts';
import { failOnFailRules, measureRules, type QualityReport } from './report.ts';
import { failureReason, keyCountWindows, passCondition } from './rule-sql.ts';
import { columnLabel, ruleColumns, ruleName, type ValidateRule } from './rules.ts';

/**
 * Where the rows come from: `chunk`, the view `input` in input order (rejects
 * are numbered by row); `bucket`, a barrier's bucket, whose rows carry
 * `_etl_chunk` and `_etl_row`, their upstream chunk and row.
 */
export type RowOrigin = 'chunk' | 'bucket';

export interface ValidationPlan {
  readonly query: string;
  readonly rejects?: string;
  readonly quality: QualityReport;
}

/** The relation every query reads, how it numbers rows, and the order that keeps input order. */
interface RowSource {
  readonly relation: string;
  readonly record: string;
  readonly order?: string;
}

function rowSource(rules: readonly ValidateRule[], origin: RowOrigin): RowSource {
  const windows = keyCountWindows(rules);
  if (origin === 'bucket') {
    const relation = windows.length === 0 ? 'input' : `(SELECT *, ${windows.join(', ')} FROM input)`;
    return { relation, record: '_etl_row', order: '_etl_chunk, _etl_row' };
  }
  if (windows.length === 0) return { relation: 'input', record: 'row_number() OVER ()' };
  // Rows are numbered before the key windows, which reorder them.
  return {
    relation: `(SELECT *, ${windows.join(', ')} FROM (SELECT *, row_number() OVER () AS _etl_record FROM input))`,
    record: '_etl_record',
    order: '_etl_record',
  };
}

function checkColumns(rules: readonly ValidateRule[], columns: readonly ColumnInfo[]): void {
  const names = new Set(columns.map((column) => column.name));
  for (const rule of rules) {
    for (const column of ruleColumns(rule)) {
      if (!names.has(column)) {
        throw new ConfigError(`validate rule "${ruleName(rule)}": column "${column}" is not in the input`);
      }
    }
  }
}

/** The row as JSON, from the data columns only (never the helper or order columns). */
function rowJson(columns: readonly ColumnInfo[]): string {
  const fields = columns.map(({ name }) => `${sqlIdent(name)} := ${sqlIdent(name)}`);
  return `CAST(to_json(struct_pack(${fields.join(', ')})) AS VARCHAR)`;
}

function rejectsQuery(
  rules: readonly (readonly [ValidateRule, number])[],
  columns: readonly ColumnInfo[],
  source: RowSource,
  origin: RowOrigin,
): string {
  const whens = (value: (rule: ValidateRule, index: number) => string) =>
    rules
      .map(([rule, index]) => `WHEN NOT ${passCondition(rule, index)} THEN ${value(rule, index)}`)
      .join(' ');
  const chunk = origin === 'bucket' ? ', _etl_chunk' : '';
  return (
    `SELECT record, "column", error_type, reason, raw${chunk} FROM (SELECT ${source.record} AS record${chunk}, ` +
    `CASE ${whens((rule) => sqlString(columnLabel(rule)))} END AS "column", ` +
    `CASE ${whens((rule) => sqlString(`validate:${ruleName(rule)}`))} END AS error_type, ` +
    `CASE ${whens(failureReason)} END AS reason, ${rowJson(columns)} AS raw FROM ${source.relation}) ` +
    'WHERE reason IS NOT NULL'
  );
}

/**
 * Plans the validation of `input` with data columns `columns`. The quality
 * report is measured first, so a `fail` rule stops the node before any
 * output is written.
 */
export async function planValidation(
  connection: DuckDBConnection,
  config: ValidateConfig,
  columns: readonly ColumnInfo[],
  origin: RowOrigin,
): Promise<ValidationPlan> {
  checkColumns(config.rules, columns);
  const source = rowSource(config.rules, origin);
  const quality = await measureRules(connection, config.rules, source.relation);
  failOnFailRules(quality);
  const rejecting = config.rules.flatMap((rule, index) =>
    rule.severity === 'reject' ? [[rule, index] as const] : [],
  );
  const order = source.order === undefined ? '' : ` ORDER BY ${source.order}`;
  const where =
    rejecting.length === 0
      ? ''
      : ` WHERE ${rejecting.map(([rule, index]) => passCondition(rule, index)).join(' AND ')}`;
  const query = `SELECT ${selectColumns(columns)} FROM ${source.relation}${where}${order}`;
  if (rejecting.length === 0) return { query, quality };
  return { query, rejects: rejectsQuery(rejecting, columns, source, origin), quality };
}
