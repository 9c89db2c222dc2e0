/**
 * What the canvas paints on each node besides its data: validation errors
 * (editor) or run status (run view), and whether the node ends a stage.
 */
import { createContext, useContext } from 'react';
import type { ModuleInfo, NodeRun } from '../api/types.ts';
import type { NodeErrors } from './error-mapping.ts';

export interface NodeDecorations {
  readonly errors: ReadonlyMap<string, NodeErrors>;
  readonly runs: ReadonlyMap<string, NodeRun>;
  /** Nodes that end a stage: every chunk of their input is shuffled by key, then reduced per bucket. */
  readonly barriers: ReadonlySet<string>;
}

export const DecorationsContext = createContext<NodeDecorations>({
  errors: new Map(),
  runs: new Map(),
  barriers: new Set(),
});

/**
 * The barrier nodes of a graph: those whose module always is one, and those
 * the last validation named (a module some configs make one).
 */
export function barrierNodes(
  nodes: readonly { readonly id: string; readonly data: { readonly module: string } }[],
  modules: ReadonlyMap<string, Pick<ModuleInfo, 'barrier'>>,
  validated: readonly string[],
): ReadonlySet<string> {
  const always = nodes.filter((node) => modules.get(node.data.module)?.barrier === true);
  return new Set([...always.map((node) => node.id), ...validated]);
}

export function useNodeDecoration(nodeId: string): { errors?: NodeErrors; run?: NodeRun; barrier: boolean } {
  const { errors, runs, barriers } = useContext(DecorationsContext);
  const found: { errors?: NodeErrors; run?: NodeRun; barrier: boolean } = { barrier: barriers.has(nodeId) };
  const nodeErrors = errors.get(nodeId);
  const run = runs.get(nodeId);
  if (nodeErrors) found.errors = nodeErrors;
  if (run) found.run = run;
  return found;
}
