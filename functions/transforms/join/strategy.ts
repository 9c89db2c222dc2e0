/**
 * Broadcast or shuffle: which input of a join may be broadcast, and the
 * decision the join's plan takes once both inputs are shuffled and their
 * sizes known.
 *
 * Only an input whose unmatched rows the join type drops may be broadcast:
 * every task then sees the whole broadcast input, and a row it keeps
 * unmatched would be emitted once per task. So the right input is broadcast
 * for inner and left joins, the left for right joins, and a full join (which
 * keeps both sides' unmatched rows) always shuffles.
 */
import { taskMemoryLimitMb } from '../../../shared/duckdb/engine.ts';
import type { JoinConfig } from './module.ts';

/** The input every task reads whole, and the one whose chunks each become a task. */
export interface BroadcastSides {
  readonly broadcast: number;
  readonly stream: number;
}

const LEFT = 0;
const RIGHT = 1;

export function broadcastSides(type: JoinConfig['type']): BroadcastSides | undefined {
  switch (type) {
    case 'inner':
    case 'left':
      return { broadcast: RIGHT, stream: LEFT };
    case 'right':
      return { broadcast: LEFT, stream: RIGHT };
    case 'full':
      return undefined;
  }
}

/** Whether a join node may broadcast at all: the translator adds its settle step only then. */
export function mayBroadcast(config: Pick<JoinConfig, 'type' | 'strategy'>): boolean {
  return config.strategy !== 'shuffle' && broadcastSides(config.type) !== undefined;
}

export interface ShuffledSizes {
  /** Parquet bytes each input wrote to the shuffle, by input index. */
  readonly bytes: readonly number[];
  /** Whether each input wrote any rows at all. */
  readonly hasRows: readonly boolean[];
}

/** Parquet grows severalfold as a join's hash table: a broadcast input may take this share of a task's memory. */
const BROADCAST_MEMORY_SHARE = 0.25;

/**
 * The most shuffled Parquet one broadcast task is ever asked to hold, even
 * with `strategy: broadcast` or a larger `broadcast_join_max_bytes`: every
 * task downloads and hashes the whole input. A quarter of a task's DuckDB
 * memory, 265 MiB at 1,769 MB Lambdas, which also leaves room in a Lambda's
 * default 512 MB of /tmp for the stream chunk beside it.
 */
export function broadcastHardMaxBytes(memoryLimitMb: number = taskMemoryLimitMb()): number {
  return Math.floor(memoryLimitMb * 1024 * 1024 * BROADCAST_MEMORY_SHARE);
}

/** The limits a join's plan decides under: the configured threshold, and what a task can hold. */
export interface BroadcastLimits {
  /** `execution.broadcast_join_max_bytes`: the most `strategy: auto` broadcasts. */
  readonly maxBytes: number;
  /** `broadcastHardMaxBytes()`: past it, every strategy shuffles. */
  readonly hardMaxBytes: number;
}

/** The plan's decision: the sides to broadcast, or none to reduce hash buckets. */
export interface BroadcastDecision {
  readonly sides?: BroadcastSides;
  /** Why `strategy: broadcast` was not followed, when it was not. */
  readonly overridden?: string;
}

/**
 * An empty stream input shuffles too: its buckets then hold only the other
 * input's rows, which the bucket reduce counts as the join drops them.
 */
export function chooseBroadcast(
  config: Pick<JoinConfig, 'type' | 'strategy'>,
  sizes: ShuffledSizes,
  limits: BroadcastLimits,
): BroadcastDecision {
  const sides = broadcastSides(config.type);
  if (sides === undefined || config.strategy === 'shuffle' || !sizes.hasRows[sides.stream]) return {};
  const bytes = sizes.bytes[sides.broadcast] ?? 0;
  if (bytes > limits.hardMaxBytes) {
    if (config.strategy !== 'broadcast') return {};
    return {
      overridden:
        `strategy broadcast: input ${sides.broadcast} is ${bytes} bytes of shuffled Parquet, past the ` +
        `${limits.hardMaxBytes} one task can hold (a quarter of its memory), so the join shuffles both inputs instead`,
    };
  }
  return config.strategy === 'broadcast' || bytes <= limits.maxBytes ? { sides } : {};
}
