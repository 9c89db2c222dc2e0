/** Walks a definition's Task states, nested Map processors and Parallel branches included. */
import type { StateGraph, TaskState } from '../../statemachines/asl-types.ts';

export interface NamedTask {
  readonly name: string;
  readonly state: TaskState;
}

export function taskStates(graph: StateGraph): NamedTask[] {
  const tasks: NamedTask[] = [];
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type === 'Task') tasks.push({ name, state });
    else if (state.Type === 'Map') tasks.push(...taskStates(state.ItemProcessor));
    else if (state.Type === 'Parallel')
      for (const branch of state.Branches) tasks.push(...taskStates(branch));
  }
  return tasks;
}
