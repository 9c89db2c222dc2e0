/**
 * The event of the `fused-chain` function: one chunk (or bucket) and the
 * stage's tree of nodes to run over it, root first. Built by the translator
 * (`chainPayload`), parsed here, never trusted.
 */
import { z } from 'zod';
import { ChunkDescriptorSchema } from '../chunks/ref.ts';
import { NodeRefSchema, RunContextSchema } from './events.ts';

/** A branch end feeding a barrier: its node, which of its inputs, and the bucket count. */
export const ChainShuffleSchema = z.strictObject({
  node: NodeRefSchema,
  input: z.int().min(0),
  buckets: z.int().min(1),
});
export type ChainShuffle = z.output<typeof ChainShuffleSchema>;

/** A node, the chunk-local nodes it feeds (edge order) and the barriers it shuffles into. */
export interface ChainTree {
  readonly node: z.output<typeof NodeRefSchema>;
  readonly children: readonly ChainTree[];
  readonly shuffles: readonly ChainShuffle[];
}
interface ChainTreeInput {
  readonly node: z.input<typeof NodeRefSchema>;
  readonly children: readonly ChainTreeInput[];
  readonly shuffles: readonly z.input<typeof ChainShuffleSchema>[];
}
export const ChainTreeSchema: z.ZodType<ChainTree, ChainTreeInput> = z.strictObject({
  node: NodeRefSchema,
  children: z.array(z.lazy(() => ChainTreeSchema)),
  shuffles: z.array(ChainShuffleSchema),
});

/** How the root gets its rows: extract a planned chunk, or reduce a barrier's bucket. */
export const ChainSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extract') }),
  z.strictObject({ kind: z.literal('reduce'), inputs: z.int().min(1) }),
]);

export const ChainEventSchema = z.strictObject({
  action: z.literal('chain'),
  run: RunContextSchema,
  chunk: ChunkDescriptorSchema,
  source: ChainSourceSchema,
  root: ChainTreeSchema,
});
export type ChainEvent = z.output<typeof ChainEventSchema>;

/** Deliberately tiny, as a Map collects one per chunk: the rows the chain's root produced. */
export interface ChainResult {
  readonly rows: number;
}
