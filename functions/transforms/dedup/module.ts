/** `dedup`: global deduplication across every chunk, keeping the first row of each key. */
import { z } from 'zod';
import { checkSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { dedupLineage } from './lineage.ts';

export const DEDUP_DEFAULTS = { descending: false };

export const DedupConfigSchema = z.strictObject({
  keys: z
    .array(z.string().min(1))
    .min(1)
    .describe('SQL expressions that identify a duplicate, e.g. ["lower(trim(email))"]'),
  order_by: z
    .string()
    .min(1)
    .optional()
    .describe('SQL expression ranking the duplicates of a key; the first is kept (default: input order)'),
  descending: z
    .boolean()
    .default(DEDUP_DEFAULTS.descending)
    .describe('Keep the row with the highest order_by instead of the lowest'),
});
export type DedupConfig = z.output<typeof DedupConfigSchema>;

export async function checkExpressions(
  entries: readonly (readonly [path: (string | number)[], expression: string | undefined])[],
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [path, expression] of entries) {
    if (expression === undefined) continue;
    const message = await checkSqlExpression(expression);
    if (message !== undefined) issues.push({ path, message });
  }
  return issues;
}

export const dedupModule = defineModule({
  name: 'dedup',
  kind: 'transformer',
  title: 'Deduplicate (global)',
  description:
    'Keeps one row per key across the whole input (every chunk): the first by an order expression, or by input order.',
  configSchema: DedupConfigSchema,
  chunkLocal: false,
  checkConfig: (config) =>
    checkExpressions([
      ...config.keys.map((key, index): [(string | number)[], string] => [['keys', index], key]),
      [['order_by'], config.order_by],
    ]),
  lineage: dedupLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
