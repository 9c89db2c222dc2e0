/** `union`: the rows of several inputs as one, columns matched by name. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { unionLineage } from './lineage.ts';

export const UNION_DEFAULTS = { distinct: false };

export const UnionConfigSchema = z.strictObject({
  distinct: z
    .boolean()
    .default(UNION_DEFAULTS.distinct)
    .describe('Drop rows that are equal in every column (across all inputs)'),
});
export type UnionConfig = z.output<typeof UnionConfigSchema>;

export const unionModule = defineModule({
  name: 'union',
  kind: 'transformer',
  title: 'Union',
  description:
    'Combines the rows of 2 to 8 inputs, matching columns by name (a column missing from an input is NULL there); optionally distinct.',
  configSchema: UnionConfigSchema,
  chunkLocal: false,
  inputs: { min: 2, max: 8 },
  lineage: unionLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
