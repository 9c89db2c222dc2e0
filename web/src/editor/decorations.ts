/** What the canvas paints on each node besides its data: validation errors (editor) or run status (run view). */
import { createContext, useContext } from 'react';
import type { NodeRun } from '../api/types.ts';
import type { NodeErrors } from './error-mapping.ts';

export interface NodeDecorations {
  readonly errors: ReadonlyMap<string, NodeErrors>;
  readonly runs: ReadonlyMap<string, NodeRun>;
}

export const DecorationsContext = createContext<NodeDecorations>({ errors: new Map(), runs: new Map() });

export function useNodeDecoration(nodeId: string): { errors?: NodeErrors; run?: NodeRun } {
  const { errors, runs } = useContext(DecorationsContext);
  const found: { errors?: NodeErrors; run?: NodeRun } = {};
  const nodeErrors = errors.get(nodeId);
  const run = runs.get(nodeId);
  if (nodeErrors) found.errors = nodeErrors;
  if (run) found.run = run;
  return found;
}
