/** `validate`: checks rules per column (unique across the whole input); each failure rejects the row, warns, or fails the run. */
import { z } from 'zod';
import { checkSqlExpression, checkSqlType } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { validateLineage } from './lineage.ts';
import { RuleSchema, type ValidateRule } from './rules.ts';
import { uniqueKeyIssues, uniqueRules } from './unique-key.ts';

export const ValidateConfigSchema = z.strictObject({
  rules: z
    .array(RuleSchema)
    .min(1)
    .describe(
      'Rules checked on every row. NULL values pass every check but not_null; a predicate fails only where it is FALSE. ' +
        'unique checks the whole input: a key with a NULL is never a duplicate, and every row of a duplicated key fails; ' +
        'the unique keys of one node must share a column.',
    ),
});

export type ValidateConfig = z.output<typeof ValidateConfigSchema>;

async function ruleIssues(rule: ValidateRule, index: number): Promise<ConfigIssue[]> {
  let message: string | undefined;
  let field = '';
  if (rule.check === 'type') [message, field] = [await checkSqlType(rule.type), 'type'];
  if (rule.check === 'predicate')
    [message, field] = [await checkSqlExpression(rule.expression), 'expression'];
  return message === undefined ? [] : [{ path: ['rules', index, field], message }];
}

async function checkRules(config: ValidateConfig): Promise<ConfigIssue[]> {
  return [...(await Promise.all(config.rules.map(ruleIssues))).flat(), ...uniqueKeyIssues(config.rules)];
}

export const validateModule = defineModule({
  name: 'validate',
  kind: 'transformer',
  title: 'Validate rows',
  description:
    'Checks rules per column (not_null, range, regex, in_set, max_length, type, predicate, unique); failures reject the row to quarantine, warn, or fail the run. Writes a data-quality report per chunk. With a unique rule the node runs as a barrier partitioned by the key: NULL keys are never duplicates, and every row of a duplicated key fails.',
  configSchema: ValidateConfigSchema,
  chunkLocal: true,
  // A duplicate shows only in view of every chunk's rows.
  barrierWhen: (config: ValidateConfig) => uniqueRules(config.rules).length > 0,
  checkConfig: checkRules,
  lineage: validateLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
