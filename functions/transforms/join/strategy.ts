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

/**
 * The sides to broadcast, or undefined to reduce hash buckets. An empty
 * stream input shuffles too: its buckets then hold only the other input's
 * rows, which the bucket reduce counts as the join drops them.
 */
export function chooseBroadcast(
  config: Pick<JoinConfig, 'type' | 'strategy'>,
  sizes: ShuffledSizes,
  maxBytes: number,
): BroadcastSides | undefined {
  const sides = broadcastSides(config.type);
  if (sides === undefined || config.strategy === 'shuffle' || !sizes.hasRows[sides.stream]) return undefined;
  if (config.strategy === 'broadcast') return sides;
  return (sizes.bytes[sides.broadcast] ?? 0) <= maxBytes ? sides : undefined;
}
