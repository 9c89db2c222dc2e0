import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/bundling/function-bundling.ts';
import {
  controlHandlerEntry,
  dataPlaneHandlerEntry,
  moduleHandlerEntry,
} from '../../../infra/function-entries.ts';
import { registry } from '../../../shared/modules/registry.ts';
import { LOCAL_FUNCTION_NAMES, loadFunctionHandler } from '../../../shared/runtime/function-handlers.ts';
import { CONTROL_FUNCTION_NAMES, DATA_PLANE_FUNCTION_NAMES } from '../../../statemachines/function-names.ts';

const entries = [
  ...CONTROL_FUNCTION_NAMES.map((name) => [name, controlHandlerEntry(name)] as const),
  ...DATA_PLANE_FUNCTION_NAMES.map((name) => [name, dataPlaneHandlerEntry(name)] as const),
  ...registry.list().map((module) => [module.name, moduleHandlerEntry(module)] as const),
];

describe('function entries', () => {
  it('cover exactly the functions the local runtime serves', () => {
    expect(entries.map(([name]) => name).sort()).toStrictEqual([...LOCAL_FUNCTION_NAMES].sort());
  });

  it.each(entries)(
    '%s: the bundled entry %s exports the handler the local runtime runs',
    async (name, entry) => {
      const bundled = (await import(`${PROJECT_ROOT}${entry}`)) as { handler: unknown };

      expect(bundled.handler).toBe(await loadFunctionHandler(name));
    },
  );

  it('fails for a module without a handler file, naming where it looked', () => {
    expect(() => moduleHandlerEntry({ name: 'ghost-load', kind: 'loader' })).toThrow(
      'module ghost-load (loader) has no handler: looked for functions/connectors/ghost-load/handler.ts, functions/connectors/ghost/load-handler.ts',
    );
  });
});
