/** Graph facts the validator and planner need: cycles and reachability over node ids. */

export interface Edge {
  readonly source: string;
  readonly target: string;
}

function adjacency(edges: readonly Edge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { source, target } of edges) next.set(source, [...(next.get(source) ?? []), target]);
  return next;
}

/** Every elementary cycle found by DFS, each as the node ids in order (first id not repeated). */
export function findCycles(nodeIds: readonly string[], edges: readonly Edge[]): string[][] {
  const next = adjacency(edges);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const target of next.get(id) ?? []) {
      if (state.get(target) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(target));
        // The same cycle is reachable from several entry points: report it once.
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (state.get(target) === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of nodeIds) if (state.get(id) === undefined) visit(id);
  return cycles;
}

export function reachableFrom(roots: readonly string[], edges: readonly Edge[]): Set<string> {
  const next = adjacency(edges);
  const reached = new Set<string>(roots);
  const queue = [...roots];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const target of next.get(id) ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return reached;
}
