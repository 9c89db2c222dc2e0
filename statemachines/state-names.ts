/**
 * State names of the generated machine. They are a contract: the local runtime
 * keys its Task handlers by them and progress display maps them back to nodes.
 * Step Functions wants names unique across the whole definition; node ids
 * cannot contain spaces, so the prefixed names never collide with them.
 */
import type { PipelineNode } from '../shared/spec/schema.ts';

export const INIT_STATE = 'Init';
export const STAGES_STATE = 'Stages';
export const FINALIZE_STATE = 'Finalize';
export const ON_FAILURE_STATE = 'OnFailure';
export const FAILED_STATE = 'Failed';

/** Names of the frame's states: the validator rejects node ids equal to these. */
export const RESERVED_STATE_NAMES: readonly string[] = [
  INIT_STATE,
  STAGES_STATE,
  FINALIZE_STATE,
  ON_FAILURE_STATE,
  FAILED_STATE,
];

const PLAN_PREFIX = 'Plan ';
const PROCESS_PREFIX = 'Process ';
const FORK_PREFIX = 'Fork ';
const COMMIT_PREFIX = 'Commit ';
const SHUFFLE_PREFIX = 'Shuffle ';
const CHAIN_PREFIX = 'Chain ';
const SETTLE_PREFIX = 'Settle ';

export const planStateName = (extractorId: string): string => `${PLAN_PREFIX}${extractorId}`;
export const processStateName = (extractorId: string): string => `${PROCESS_PREFIX}${extractorId}`;
export const forkStateName = (nodeId: string): string => `${FORK_PREFIX}${nodeId}`;
export const commitStateName = (loaderId: string): string => `${COMMIT_PREFIX}${loaderId}`;
/** The one Task of a fused stage (`execution.fuse`): every node of the stage, per chunk. */
export const chainStateName = (sourceId: string): string => `${CHAIN_PREFIX}${sourceId}`;
/** The Task that shuffles one input of a barrier (an edge): `Shuffle <barrierId> <input>`. */
export const shuffleStateName = (barrierId: string, input: number): string =>
  `${SHUFFLE_PREFIX}${barrierId} ${input}`;
/** After a join's tasks: counts a broadcast input's rows once (a no-op after a shuffle join). */
export const settleStateName = (joinId: string): string => `${SETTLE_PREFIX}${joinId}`;
/** Suffix of the states of a stage's Distributed Map copy: node ids have no spaces, so no clash. */
export const DISTRIBUTED_SUFFIX = ' [d]';
/** The Choice between a stage's inline and Distributed Map. */
export const routeStateName = (sourceId: string): string => `Route ${sourceId}`;

/** The Parallel running the stages of one level side by side: `Stages`, then `Stages 2`, ... */
export const levelStateName = (level: number): string =>
  level === 0 ? STAGES_STATE : `${STAGES_STATE} ${level + 1}`;

/**
 * The Task states that invoke this node's Lambda (what `taskResourceLocalHandlers` is keyed by),
 * unfused. Fused, a stage's nodes share its `Chain <source>` Task; Plan and Commit stay their own.
 */
export function stateNamesForNode(node: Pick<PipelineNode, 'id' | 'type'>): string[] {
  switch (node.type) {
    case 'extractor':
      return [planStateName(node.id), node.id];
    case 'transformer':
      return [node.id];
    case 'loader':
      return [node.id, commitStateName(node.id)];
  }
}

/** The node a state works for, or undefined for the frame's own states. */
export function nodeIdOfStateName(name: string): string | undefined {
  const stateName = name.endsWith(DISTRIBUTED_SUFFIX) ? name.slice(0, -DISTRIBUTED_SUFFIX.length) : name;
  if (stateName.startsWith('Route ')) {
    return stateName.slice('Route '.length);
  }
  if (RESERVED_STATE_NAMES.includes(stateName)) {
    return undefined;
  }
  if (stateName.startsWith(SHUFFLE_PREFIX)) {
    return stateName.slice(SHUFFLE_PREFIX.length).replace(/ \d+$/, '');
  }
  if (/^Stages \d+$/.test(stateName)) {
    return undefined;
  }
  for (const prefix of [
    PLAN_PREFIX,
    PROCESS_PREFIX,
    FORK_PREFIX,
    COMMIT_PREFIX,
    CHAIN_PREFIX,
    SETTLE_PREFIX,
  ]) {
    if (stateName.startsWith(prefix)) {
      return stateName.slice(prefix.length);
    }
  }
  return stateName;
}
