/** `validate`: checks rules per column; each failure rejects the row, warns, or fails the run. */
import { z } from 'zod';
import { checkSqlExpression, checkSqlType } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { validateLineage } from './lineage.ts';

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
    check: z.literal('predicate'),
    expression: z
      .string()
      .min(1)
      .describe('A SQL condition; the rule fails where it is FALSE (NULL passes).'),
  }),
]);

export type ValidateRule = z.output<typeof RuleSchema>;

export const ValidateConfigSchema = z.strictObject({
  rules: z
    .array(RuleSchema)
    .min(1)
    .describe(
      'Rules checked on every row. NULL values pass every check but not_null; a predicate fails only where it is FALSE.',
    ),
});

export type ValidateConfig = z.output<typeof ValidateConfigSchema>;

export function ruleName(rule: ValidateRule): string {
  return rule.name ?? `${rule.check}:${rule.column}`;
}

async function ruleIssues(rule: ValidateRule, index: number): Promise<ConfigIssue[]> {
  let message: string | undefined;
  let field = '';
  if (rule.check === 'type') [message, field] = [await checkSqlType(rule.type), 'type'];
  if (rule.check === 'predicate')
    [message, field] = [await checkSqlExpression(rule.expression), 'expression'];
  return message === undefined ? [] : [{ path: ['rules', index, field], message }];
}

export const validateModule = defineModule({
  name: 'validate',
  kind: 'transformer',
  title: 'Validate rows',
  description:
    'Checks rules per column (not_null, range, regex, in_set, max_length, type, predicate); failures reject the row to quarantine, warn, or fail the run. Writes a data-quality report per chunk.',
  configSchema: ValidateConfigSchema,
  chunkLocal: true,
  checkConfig: async (config: ValidateConfig): Promise<ConfigIssue[]> =>
    (await Promise.all(config.rules.map(ruleIssues))).flat(),
  lineage: validateLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
