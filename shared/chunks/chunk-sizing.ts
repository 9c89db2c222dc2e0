/**
 * How big a byte-range planner makes its chunks. `execution.chunk_size_bytes`
 * is the most a chunk should hold; within that, the planner evens chunks out
 * so the last wave of workers is as full as the others: 77 MB at 16 MiB was
 * five chunks on two workers, the fifth running alone for a third of the
 * stage; six chunks of 12.8 MB fill three waves.
 */

/** Chunks are not split below this for balance alone: under it, a task's fixed cost dominates. */
export const MIN_BALANCED_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ChunkSizing {
  /** The most source bytes a chunk should hold (`execution.chunk_size_bytes`). */
  readonly targetBytes: number;
  /** Chunks one stage runs at once (`execution.max_concurrency`); absent: no balancing. */
  readonly workers?: number;
}

/**
 * The byte target to cut `totalBytes` with: the chunk count rounded up to a
 * multiple of the workers, at most doubled, and never into chunks of half
 * the target or less (two of those would fit one group of small chunks, see
 * group-chunks.ts) or under `MIN_BALANCED_CHUNK_BYTES`; otherwise the plain target.
 */
export function balancedChunkBytes(totalBytes: number, sizing: ChunkSizing): number {
  const { targetBytes, workers } = sizing;
  const chunks = Math.ceil(totalBytes / targetBytes);
  if (workers === undefined || workers < 2 || chunks < 2) return targetBytes;
  const balanced = Math.min(Math.ceil(chunks / workers) * workers, 2 * chunks);
  const bytes = Math.ceil(totalBytes / balanced);
  return bytes < MIN_BALANCED_CHUNK_BYTES || 2 * bytes <= targetBytes ? targetBytes : bytes;
}
