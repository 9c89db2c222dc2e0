/** The data-quality report of one chunk (or bucket): per rule, rows checked, passed and failed. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { DataError } from '../../../shared/errors.ts';
import { QUALITY_EXAMPLES } from '../../../shared/quality/run-quality.ts';
import { passCondition, valueText } from './rule-sql.ts';
import { columnLabel, ruleName, type ValidateRule } from './rules.ts';

export interface RuleReport {
  readonly rule: string;
  /** The checked column, or a composite key's columns as `a, b`. */
  readonly column: string;
  readonly check: ValidateRule['check'];
  readonly severity: ValidateRule['severity'];
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  /**
   * The smallest failing values (as text), so a run's examples are the same
   * however it was chunked; a unique rule's are distinct duplicated keys.
   */
  readonly examples: readonly string[];
}

export interface QualityReport {
  readonly rows: number;
  readonly rules: readonly RuleReport[];
}

function examplesMeasure(rule: ValidateRule, index: number): string {
  // Every copy of a duplicated key fails: list each key once.
  const distinct = rule.check === 'unique' ? 'DISTINCT ' : '';
  return `coalesce(min(${distinct}${valueText(rule)}, ${QUALITY_EXAMPLES}) FILTER (WHERE NOT ${passCondition(rule, index)}), []) AS examples_${index}`;
}

/** Counts every rule over `relation` in one scan. */
export async function measureRules(
  connection: DuckDBConnection,
  rules: readonly ValidateRule[],
  relation: string,
): Promise<QualityReport> {
  const measures = rules.flatMap((rule, i) => [
    `count(*) FILTER (WHERE NOT ${passCondition(rule, i)}) AS failed_${i}`,
    examplesMeasure(rule, i),
  ]);
  const [row] = await queryRows(
    connection,
    `SELECT count(*) AS checked, ${measures.join(', ')} FROM ${relation}`,
  );
  const checked = Number(row?.checked ?? 0);
  return {
    rows: checked,
    rules: rules.map((rule, i) => {
      const failed = Number(row?.[`failed_${i}`] ?? 0);
      const examples = (row?.[`examples_${i}`] as unknown[] | undefined) ?? [];
      return {
        rule: ruleName(rule),
        column: columnLabel(rule),
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

/** A `fail` rule that any row failed stops the run: terminal, retrying reads the same rows. */
export function failOnFailRules(report: QualityReport): void {
  const failing = report.rules.find((rule) => rule.severity === 'fail' && rule.failed > 0);
  if (failing === undefined) return;
  const example =
    failing.examples.length > 0 ? `, e.g. ${JSON.stringify(failing.examples[0])}` : ', e.g. NULL';
  throw new DataError(
    `validate rule "${failing.rule}" failed on column "${failing.column}" for ${failing.failed} row(s)${example}`,
  );
}
