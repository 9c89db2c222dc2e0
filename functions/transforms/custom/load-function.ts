/**
 * Imports a user's function folder once per process (the module cache would
 * too; this checks the export once). A deployed custom Lambda has no folders
 * to import: its bundle registers its one function at start
 * (`registerCustomFunction`, infra/function-entries.ts writes that entry).
 */
import { existsSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../../shared/errors.ts';
import { CUSTOM_FUNCTIONS_DIR_ENV, folderProblem } from './module.ts';
import type { CustomFunction } from './types.ts';

const loaded = new Map<string, Promise<CustomFunction>>();
const bundled = new Map<string, CustomFunction>();

/** Makes `folder`'s function the one `loadCustomFunction(folder)` returns, without importing anything. */
export function registerCustomFunction(folder: string, transform: CustomFunction): void {
  bundled.set(normalize(folder), transform);
}

async function importFunction(path: string, folder: string): Promise<CustomFunction> {
  const module: unknown = await import(pathToFileURL(path).href);
  const transform =
    typeof module === 'object' && module !== null ? (module as { transform?: unknown }).transform : undefined;
  if (typeof transform !== 'function') {
    throw new ConfigError(
      `custom: ${folder}/${path.split('/').at(-1)} does not export a function named transform`,
    );
  }
  return transform as CustomFunction;
}

export function loadCustomFunction(folder: string): Promise<CustomFunction> {
  const problem = folderProblem(folder);
  if (problem !== undefined)
    return Promise.reject(new ConfigError(`custom: function ${JSON.stringify(folder)} ${problem}`));
  const registered = bundled.get(normalize(folder));
  if (registered !== undefined) return Promise.resolve(registered);
  const root = process.env[CUSTOM_FUNCTIONS_DIR_ENV] ?? process.cwd();
  const base = resolve(root, folder);
  const path = ['index.ts', 'index.js', 'index.mjs'].map((name) => join(base, name)).find(existsSync);
  if (path === undefined) {
    return Promise.reject(new ConfigError(`custom: no index.ts or index.js in ${base}`));
  }
  let pending = loaded.get(path);
  if (pending === undefined) {
    pending = importFunction(path, folder);
    loaded.set(path, pending);
    pending.catch(() => loaded.delete(path));
  }
  return pending;
}
