import { describe, expect, it } from 'vitest';
import { registry } from '../../../../shared/modules/registry.ts';
import { LOCAL_FUNCTION_NAMES, loadFunctionHandler } from '../../../../shared/runtime/function-handlers.ts';
import {
  CONTROL_FUNCTION_NAMES,
  DATA_PLANE_FUNCTION_NAMES,
} from '../../../../statemachines/function-names.ts';

describe('local function handlers', () => {
  it('cover every module of the registry, every control function and fused-chain, and nothing else', () => {
    const expected = [
      ...CONTROL_FUNCTION_NAMES,
      ...DATA_PLANE_FUNCTION_NAMES,
      ...registry.list().map((module) => module.name),
    ].sort();

    expect([...LOCAL_FUNCTION_NAMES].sort()).toStrictEqual(expected);
  });

  it('load a callable handler for each function', async () => {
    for (const name of LOCAL_FUNCTION_NAMES) {
      expect(typeof (await loadFunctionHandler(name))).toBe('function');
    }
  });

  it('fails when a function has no local handler', async () => {
    await expect(loadFunctionHandler('no-such-module')).rejects.toThrow(
      'no local handler for function "no-such-module"',
    );
  });
});
