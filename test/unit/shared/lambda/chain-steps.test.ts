import { describe, expect, it } from 'vitest';
import { chainStepsOf } from '../../../../shared/lambda/chain-steps.ts';
import { registry } from '../../../../shared/modules/registry.ts';
import { loadFunctionHandler } from '../../../../shared/runtime/function-handlers.ts';
import { CONTROL_FUNCTION_NAMES } from '../../../../statemachines/function-names.ts';

/** The steps a node needs in a fused chain, by the role its module plays there. */
function expectedSteps(module: { kind: string; chunkLocal: boolean; barrierWhen?: unknown }): string[] {
  if (module.kind === 'extractor') return ['extract'];
  if (module.kind === 'loader') return ['load'];
  // A module that some configs make a barrier (validate with `unique`) plays either role.
  if (module.barrierWhen !== undefined) return ['reduce', 'shuffle', 'transform'];
  return module.chunkLocal ? ['transform'] : ['reduce', 'shuffle'];
}

describe('chain steps', () => {
  it.each(registry.list().map((module) => [module.name, module] as const))(
    '%s: its handler carries the steps a fused chain runs it with',
    async (name, module) => {
      const steps = chainStepsOf(await loadFunctionHandler(name));

      expect(Object.keys(steps ?? {}).sort()).toStrictEqual(expectedSteps(module));
    },
  );

  it('are absent from control functions, which never run in a chain', async () => {
    for (const name of CONTROL_FUNCTION_NAMES) {
      expect(chainStepsOf(await loadFunctionHandler(name))).toBeUndefined();
    }
  });
});
