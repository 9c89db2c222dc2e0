/**
 * Walks a definition down into Map item processors and Parallel branches.
 * The local runtime uses it to key its Task handlers by state name (state
 * names are unique across a whole definition) and find which function each
 * Task invokes.
 */
import type { State, StateGraph, TaskState } from './asl-types.ts';

export interface NamedTaskState {
  readonly name: string;
  readonly state: TaskState;
}

/** Every Task of the graph, depth first in state order. */
export function listTaskStates(graph: StateGraph): NamedTaskState[] {
  return Object.entries(graph.States).flatMap(([name, state]) => tasksOf(name, state));
}

function tasksOf(name: string, state: State): NamedTaskState[] {
  if (state.Type === 'Task') {
    return [{ name, state }];
  }
  if (state.Type === 'Map') {
    return listTaskStates(state.ItemProcessor);
  }
  if (state.Type === 'Parallel') {
    return state.Branches.flatMap(listTaskStates);
  }
  return [];
}
