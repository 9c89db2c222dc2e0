/**
 * Where each function's handler file is, for esbuild. Modules follow the
 * layout of functions/: `connectors/<name>/handler.ts` or
 * `transforms/<name>/handler.ts`, and a second role of one connector,
 * `<connector>-<role>` (e.g. `postgres-load`), lives in
 * `connectors/<connector>/<role>-handler.ts`. A unit test checks every
 * entry exports the very handler the local runtime runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyModuleDefinition } from '../shared/modules/types.ts';
import type { FunctionName } from '../statemachines/function-names.ts';
import { PROJECT_ROOT } from './bundling/function-bundling.ts';

function candidates(module: Pick<AnyModuleDefinition, 'name' | 'kind'>): string[] {
  const folder = join('functions', module.kind === 'transformer' ? 'transforms' : 'connectors');
  const paths = [join(folder, module.name, 'handler.ts')];
  const dash = module.name.lastIndexOf('-');
  if (dash > 0) {
    paths.push(join(folder, module.name.slice(0, dash), `${module.name.slice(dash + 1)}-handler.ts`));
  }
  return paths;
}

/** Handler file of a module, relative to the repository root. */
export function moduleHandlerEntry(
  module: Pick<AnyModuleDefinition, 'name' | 'kind'>,
  projectRoot: string = PROJECT_ROOT,
): string {
  const paths = candidates(module);
  const found = paths.find((path) => existsSync(join(projectRoot, path)));
  if (found === undefined) {
    throw new Error(`module ${module.name} (${module.kind}) has no handler: looked for ${paths.join(', ')}`);
  }
  return found;
}

/** `fused-chain` -> functions/fused-chain/handler.ts: data-plane functions that are not one module. */
export function dataPlaneHandlerEntry(name: FunctionName): string {
  return join('functions', name, 'handler.ts');
}

/** `control-init` -> functions/control/init.ts */
export function controlHandlerEntry(name: FunctionName): string {
  return join('functions', 'control', `${name.replace(/^control-/, '')}.ts`);
}
