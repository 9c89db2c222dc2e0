/**
 * The local lowering pass. The ASL interpreter ignores a Distributed Map's
 * `ItemReader`, `ResultWriter` and `ToleratedFailurePercentage`, so before a
 * local run each such Map gets its items from a local Task that reads the
 * same S3 object, and iterates them from the state. Everything else is the
 * cloud definition, unchanged.
 */
import type {
  MapState,
  State,
  StateGraph,
  StateMachineDefinition,
  TaskState,
} from '../../statemachines/asl-types.ts';
import { localFunctionArn } from '../../statemachines/function-names.ts';
import { LAMBDA_INVOKE_RESOURCE } from '../../statemachines/states.ts';

/** Where the lowered reader puts the items; absent in the cloud, so payload checks leave it out. */
export const LOWERED_ITEMS_FIELD = '__localItems';
/** The in-process function that plays ItemReader locally. */
export const LOCAL_ITEM_READER = 'local-item-reader';

function readerState(map: MapState, mapName: string): TaskState {
  const parameters = map.ItemReader?.Parameters ?? {};
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: localFunctionArn(LOCAL_ITEM_READER),
      Payload: { 'state.$': '$', ...parameters },
    },
    TimeoutSeconds: 900,
    OutputPath: '$.Payload',
    Next: mapName,
  };
}

function retarget(state: State, from: string, to: string): State {
  if (state.Type === 'Choice') {
    return {
      ...state,
      Choices: state.Choices.map((choice) => (choice.Next === from ? { ...choice, Next: to } : choice)),
      Default: state.Default === from ? to : state.Default,
    };
  }
  if ('Next' in state && state.Next === from) return { ...state, Next: to } as State;
  return state;
}

function lowerGraph<TGraph extends StateGraph>(graph: TGraph): TGraph {
  let states: Record<string, State> = {};
  let startAt = graph.StartAt;
  const renames: [string, string][] = [];
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type === 'Parallel') {
      states[name] = { ...state, Branches: state.Branches.map(lowerGraph) };
    } else if (state.Type === 'Map' && state.ItemReader !== undefined) {
      const {
        ItemReader: _reader,
        ResultWriter: _writer,
        ToleratedFailurePercentage: _tolerated,
        ...map
      } = state;
      const reader = name.replace(/^Process /, 'Read ');
      states[reader] = readerState(state, name);
      states[name] = { ...map, ItemsPath: `$.${LOWERED_ITEMS_FIELD}` };
      renames.push([name, reader]);
    } else {
      states[name] = state;
    }
  }
  for (const [from, to] of renames) {
    states = Object.fromEntries(
      Object.entries(states).map(([name, state]) => [name, name === to ? state : retarget(state, from, to)]),
    );
    if (startAt === from) startAt = to;
  }
  return { ...graph, StartAt: startAt, States: states };
}

export function lowerForLocal(definition: StateMachineDefinition): StateMachineDefinition {
  return lowerGraph(definition);
}
