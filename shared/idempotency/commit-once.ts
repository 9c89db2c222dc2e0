/**
 * A loader whose `commit` cannot be made idempotent inside the destination
 * (an HTTP POST has no transaction to record itself in) runs it through
 * `runOnce`, keyed by organization, run and node: two copies of the same
 * commit delivered at once publish once, and a repeat answers the first
 * one's result. Chunk `load`s pass straight through: they only stage.
 */

import { type ModuleHandler, withChainSteps } from '../lambda/chain-steps.ts';
import { handlerDeps } from '../lambda/deps.ts';
import { CommitEventSchema } from '../lambda/events.ts';
import { nodeErrorPrefix, nodeIdFromErrorMessage } from '../lambda/node-task.ts';
import type { LambdaHandler } from '../lambda/powertools.ts';
import type { GuardedEffect } from './effects.ts';
import { runOnce } from './run-once.ts';

export function withCommitOnce<TResult>(
  effect: GuardedEffect,
  handler: ModuleHandler<TResult>,
): ModuleHandler<TResult> {
  const guarded: LambdaHandler<unknown, TResult> = async (event, context) => {
    const commit = CommitEventSchema.safeParse(event);
    // A chunk's load, or an event the handler itself refuses with its own message.
    if (!commit.success) return handler(event, context);
    const { run, node } = commit.data;
    try {
      return await runOnce(
        {
          effect,
          organization: run.organization,
          key: `${run.runId}/${node.id}`,
          env: handlerDeps(run.organization).env,
          context,
        },
        () => handler(event, context),
      );
    } catch (error) {
      // The guard's own errors name the node too, as every node error does, so OnFailure can tell where.
      if (error instanceof Error && nodeIdFromErrorMessage(error.message) === undefined)
        error.message = `${nodeErrorPrefix(node)}${error.message}`;
      throw error;
    }
  };
  return withChainSteps(guarded, handler.chainSteps);
}
