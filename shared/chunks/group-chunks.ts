/**
 * Many small files under a prefix become a few chunks of about the target
 * size: consecutive planned chunks are packed into groups, each extracted
 * part by part by one task. Without it every small file costs a task (and,
 * in the cloud, a Lambda invocation) of its own.
 */
import { z } from 'zod';
import { type ChunkDescriptor, ChunkDescriptorSchema } from './ref.ts';

/**
 * Parts per group at most: a group travels whole in one Map item, and at
 * about 200 bytes a part this keeps it far below the 256 KB state limit.
 */
export const MAX_PARTS_PER_GROUP = 256;

/**
 * A group: its own index (the chunk's, for output keys) and the planned
 * descriptors it packs, each keeping its planned index, which stays unique
 * across the source (rejects of a part are keyed by it).
 */
export const ChunkGroupSchema = z.object({
  index: z.int().min(0),
  parts: z.array(ChunkDescriptorSchema).min(1),
});
export type ChunkGroup = z.output<typeof ChunkGroupSchema>;

/** Source bytes of a planned chunk that says (`start`/`end` byte offsets); undefined otherwise. */
export function chunkBytes(chunk: ChunkDescriptor): number | undefined {
  const { start, end } = chunk;
  return typeof start === 'number' && typeof end === 'number' && end >= start ? end - start : undefined;
}

/** The parts of a group, or undefined for a plain planned chunk. */
export function groupParts(chunk: ChunkDescriptor): ChunkDescriptor[] | undefined {
  const parsed = ChunkGroupSchema.safeParse(chunk);
  return parsed.success ? parsed.data.parts : undefined;
}

/**
 * Packs consecutive chunks (plan order) greedily into groups of at most
 * `targetBytes` and `MAX_PARTS_PER_GROUP` parts; a chunk of unknown size or
 * of the target or more stays alone. Returns the plan unchanged when packing
 * would not reduce the number of chunks, else every chunk as a group
 * (numbered 0..n-1), so output indices and part indices never mix.
 */
export function groupSmallChunks(chunks: readonly ChunkDescriptor[], targetBytes: number): ChunkDescriptor[] {
  const groups: ChunkDescriptor[][] = [];
  let current: ChunkDescriptor[] = [];
  let currentBytes = 0;
  for (const chunk of chunks) {
    const bytes = chunkBytes(chunk);
    const fits =
      bytes !== undefined &&
      current.length > 0 &&
      current.length < MAX_PARTS_PER_GROUP &&
      currentBytes + bytes <= targetBytes;
    if (!fits) {
      if (current.length > 0) groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(chunk);
    // A chunk of unknown size closes its group: nothing may join it.
    currentBytes += bytes ?? targetBytes + 1;
  }
  if (current.length > 0) groups.push(current);
  if (groups.length === chunks.length) return [...chunks];
  return groups.map((parts, index): ChunkGroup => ({ index, parts }));
}
