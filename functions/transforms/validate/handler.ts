/**
 * Lambda entry of the `validate` transform: chunk-local events (no `action`)
 * for nodes without a `unique` rule, barrier events (`shuffle`, `plan`,
 * `reduce`) for nodes with one. The planner picks the role from the config.
 */
import type { Context } from 'aws-lambda';
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { withChainSteps } from '../../../shared/lambda/chain-steps.ts';
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { validateBarrierKernel, validateKernel } from './kernel.ts';
import { validateModule } from './module.ts';

const transform = createTransformHandler(validateModule, validateKernel);
const barrier = createBarrierHandler(validateModule, validateBarrierKernel);

function isBarrierEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'action' in event;
}

export const handler = withChainSteps(
  (event: unknown, context: Context) =>
    isBarrierEvent(event) ? barrier(event, context) : transform(event, context),
  {
    transform: transform.chainSteps.transform,
    shuffle: barrier.chainSteps.shuffle,
    reduce: barrier.chainSteps.reduce,
  },
);
