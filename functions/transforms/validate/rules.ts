/**
 * The rules a `validate` node checks, and how each is named in rejects and
 * reports.
 *
 * `unique` semantics, chosen so results never depend on chunking or input order:
 * - NULLs are never duplicates (SQL UNIQUE, dbt's `unique` test): a row whose
 *   key has a NULL in any column passes, however many such rows there are.
 * - Every row of a duplicated key fails, not only the occurrences after the
 *   first (the semantics of dbt's `unique` test and Great Expectations'
 *   `expect_column_values_to_be_unique`). A duplicate is a property of the
 *   key, and input order (file listing, API pages) seldom says which copy is
 *   right; keeping the first one is `dedup`'s job, ahead of `validate`.
 */
import { z } from 'zod';

export const DEFAULTS = { severity: 'reject' } as const;

const common = {
  column: z.string().min(1).describe('The column the rule checks.'),
  name: z
    .string()
    .min(1)
    .optional()
    .describe('The rule\'s name in rejects and reports; defaults to "<check>:<column>".'),
  severity: z
    .enum(['reject', 'warn', 'fail'])
    .default(DEFAULTS.severity)
    .describe(
      'reject: the row goes to the rejects file; warn: counted in the report only; fail: the run fails with a DataError.',
    ),
};

export const RuleSchema = z.discriminatedUnion('check', [
  z.strictObject({ ...common, check: z.literal('not_null') }),
  z
    .strictObject({
      ...common,
      check: z.literal('range'),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((rule) => rule.min !== undefined || rule.max !== undefined, {
      message: 'range needs min or max',
    }),
  z.strictObject({
    ...common,
    check: z.literal('regex'),
    pattern: z
      .string()
      .min(1)
      .describe('RE2 pattern; matches anywhere in the text unless anchored with ^...$'),
  }),
  z.strictObject({
    ...common,
    check: z.literal('in_set'),
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  }),
  z.strictObject({ ...common, check: z.literal('max_length'), length: z.number().int().nonnegative() }),
  z.strictObject({ ...common, check: z.literal('type'), type: z.string().min(1) }),
  z.strictObject({
    ...common,
    column: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('The column, or the list of columns of a composite key, whose values must be unique.'),
    check: z.literal('unique'),
  }),
  z.strictObject({
    ...common,
    check: z.literal('predicate'),
    expression: z
      .string()
      .min(1)
      .describe('A SQL condition; the rule fails where it is FALSE (NULL passes).'),
  }),
]);

export type ValidateRule = z.output<typeof RuleSchema>;

/** The columns a rule checks: one, or a `unique` rule's composite key. */
export function ruleColumns(rule: ValidateRule): readonly string[] {
  return typeof rule.column === 'string' ? [rule.column] : rule.column;
}

/** The rule's column(s) as reports and rejects show them, e.g. `Title` or `city, state`. */
export function columnLabel(rule: ValidateRule): string {
  return ruleColumns(rule).join(', ');
}

export function ruleName(rule: ValidateRule): string {
  return rule.name ?? `${rule.check}:${columnLabel(rule)}`;
}
