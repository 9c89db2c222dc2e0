/**
 * Which barrier nodes are joins that may broadcast: their plan is told the
 * size limit and a `Settle <join>` step follows their tasks. The choice
 * itself is taken at run time by the join's plan (functions/transforms/join/).
 */
import { JoinConfigSchema, joinModule } from '../functions/transforms/join/module.ts';
import { mayBroadcast } from '../functions/transforms/join/strategy.ts';
import type { PipelineNode } from '../shared/spec/schema.ts';

export function isBroadcastableJoin(node: PipelineNode): boolean {
  if (node.module !== joinModule.name) return false;
  // Validation already checked the config; one that does not parse simply never broadcasts.
  const config = JoinConfigSchema.safeParse(node.config);
  return config.success && mayBroadcast(config.data);
}
