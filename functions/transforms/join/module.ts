/** `join`: two inputs joined on key columns (inner, left, right, full) across every chunk. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { joinLineage } from './lineage.ts';

export const JOIN_DEFAULTS = {
  type: 'inner' as 'inner' | 'left' | 'right' | 'full',
  right_suffix: '_right',
  strategy: 'auto' as 'auto' | 'shuffle' | 'broadcast',
};

export const JoinConfigSchema = z.strictObject({
  type: z.enum(['inner', 'left', 'right', 'full']).default(JOIN_DEFAULTS.type),
  on: z
    .array(z.strictObject({ left: z.string().min(1), right: z.string().min(1) }))
    .min(1)
    .describe(
      'Pairs of key columns: the left input (first edge into the node) and the right input (second edge)',
    ),
  right_suffix: z
    .string()
    .min(1)
    .default(JOIN_DEFAULTS.right_suffix)
    .describe('Added to a right column whose name the left input already uses'),
  strategy: z
    .enum(['auto', 'shuffle', 'broadcast'])
    .default(JOIN_DEFAULTS.strategy)
    .describe(
      'broadcast: join each chunk of one input against the whole other input, which must be the right for inner and left joins, the left for right joins (full joins always shuffle), up to a quarter of a task memory (265 MiB at 1,769 MB Lambdas; past it the join shuffles and logs why); auto: broadcast when that input is at most execution.broadcast_join_max_bytes; shuffle: always hash both inputs into buckets',
    ),
});
export type JoinConfig = z.output<typeof JoinConfigSchema>;

export const joinModule = defineModule({
  name: 'join',
  kind: 'transformer',
  title: 'Join',
  description:
    'Joins two inputs on key columns (inner, left, right or full) across the whole input: the left input is the first edge into the node, the right the second. Keys of the same name appear once.',
  configSchema: JoinConfigSchema,
  chunkLocal: false,
  inputs: { min: 2, max: 2 },
  lineage: joinLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
