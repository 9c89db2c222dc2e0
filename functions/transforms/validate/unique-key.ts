/**
 * The shuffle key of a validate node with `unique` rules: the columns every
 * unique key shares, so that rows equal on any of the keys meet in one bucket.
 */
import type { ConfigIssue } from '../../../shared/modules/types.ts';
import { ruleColumns, ruleName, type ValidateRule } from './rules.ts';

type UniqueRule = Extract<ValidateRule, { check: 'unique' }>;

export interface IndexedUniqueRule {
  readonly rule: UniqueRule;
  /** The rule's place in `rules`, for JSON pointers and helper column names. */
  readonly index: number;
}

export function uniqueRules(rules: readonly ValidateRule[]): IndexedUniqueRule[] {
  return rules.flatMap((rule, index) => (rule.check === 'unique' ? [{ rule, index }] : []));
}

/**
 * The columns to partition by: those in every unique key (in the first key's
 * order). Rows equal on a key are equal on these, so one bucket sees every
 * copy. Empty when the keys share no column (config validation reports it),
 * undefined without unique rules.
 */
export function partitionColumns(rules: readonly ValidateRule[]): readonly string[] | undefined {
  const [first, ...others] = uniqueRules(rules);
  if (first === undefined) return undefined;
  return others.reduce<readonly string[]>(
    (shared, { rule }) => shared.filter((column) => ruleColumns(rule).includes(column)),
    ruleColumns(first.rule),
  );
}

/**
 * A key listing a column twice, and unique rules that share no column with
 * the ones before them: one shuffle can't bring all their duplicates
 * together, so the user splits them across validate nodes.
 */
export function uniqueKeyIssues(rules: readonly ValidateRule[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let shared: readonly string[] | undefined;
  let firstName = '';
  for (const { rule, index } of uniqueRules(rules)) {
    const columns = ruleColumns(rule);
    columns.forEach((column, position) => {
      if (columns.indexOf(column) !== position)
        issues.push({
          path: ['rules', index, 'column', position],
          message: `column "${column}" is listed twice in the key`,
        });
    });
    if (shared === undefined) {
      [shared, firstName] = [columns, ruleName(rule)];
      continue;
    }
    const common = shared.filter((column) => columns.includes(column));
    if (common.length === 0) {
      issues.push({
        path: ['rules', index, 'column'],
        message:
          `unique rule "${ruleName(rule)}" shares no column with "${firstName}" and the unique rules before it; ` +
          'the unique rules of one validate node run in one shuffle partitioned by a column of every key, ' +
          'so split these rules across two validate nodes',
      });
      continue;
    }
    shared = common;
  }
  return issues;
}
