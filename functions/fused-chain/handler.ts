/**
 * Lambda entry of `fused-chain`: one function that runs every module's
 * chunk steps in-process, so a stage costs one invocation per chunk.
 *
 * Why a dedicated function rather than the Lambda of the chain's first
 * module: running the rest in-process would put every module into every
 * module's bundle (and every module's IAM grants onto every function). Here
 * only this bundle holds them all, and single-module functions stay lean for
 * plans, commits and unfused pipelines (`execution.fuse: false`). The price:
 * this function's role is the union of the module grants (see
 * infra/constructs/platform-functions.ts).
 */
import { InvalidEventError } from '../../shared/errors.ts';
import { type ChainSteps, chainStepsOf } from '../../shared/lambda/chain-steps.ts';
import { createFusedChainHandler } from '../../shared/lambda/fused-chain-handler.ts';
import { loadFunctionHandler } from '../../shared/runtime/function-handlers.ts';

/** The module handlers the local runtime already maps by name carry their chain steps. */
async function moduleSteps(moduleName: string): Promise<ChainSteps> {
  const handler = await loadFunctionHandler(moduleName).catch((error: unknown) => {
    throw new InvalidEventError(`no handler for module ${moduleName}`, { cause: error });
  });
  const steps = chainStepsOf(handler);
  if (steps === undefined) throw new InvalidEventError(`function ${moduleName} is not a module`);
  return steps;
}

export const handler = createFusedChainHandler(moduleSteps);
