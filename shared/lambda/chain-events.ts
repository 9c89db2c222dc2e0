/**
 * The event of the `fused-chain` function: one chunk (or bucket) and the
 * stage's tree of nodes to run over it, root first. Built by the translator
 * (`chainPayload`), parsed here, never trusted.
 */
import { z } from 'zod';
import { ChunkDescriptorSchema } from '../chunks/ref.ts';
import { InvalidEventError } from '../errors.ts';
import {
  NodeRefSchema,
  type RunContext,
  RunContextSchema,
  resolveShuffleBuckets,
  ShuffleBucketsSchema,
} from './events.ts';

/**
 * A branch end feeding a barrier, as the translator writes it: its node,
 * which of its inputs, and the bucket count, a number or `auto` (the
 * stage's `run.shuffleBuckets`, resolved when the event is parsed).
 */
const ChainShuffleTemplateSchema = z.strictObject({
  node: NodeRefSchema,
  input: z.int().min(0),
  buckets: ShuffleBucketsSchema,
});
type ChainShuffleTemplate = z.output<typeof ChainShuffleTemplateSchema>;

/** A branch end feeding a barrier, its bucket count resolved. */
export type ChainShuffle = Omit<ChainShuffleTemplate, 'buckets'> & { readonly buckets: number };

/** A node, the chunk-local nodes it feeds (edge order) and the barriers it shuffles into. */
export interface ChainTree {
  readonly node: z.output<typeof NodeRefSchema>;
  readonly children: readonly ChainTree[];
  readonly shuffles: readonly ChainShuffle[];
}
interface ChainTreeTemplate {
  readonly node: z.output<typeof NodeRefSchema>;
  readonly children: readonly ChainTreeTemplate[];
  readonly shuffles: readonly ChainShuffleTemplate[];
}
interface ChainTreeInput {
  readonly node: z.input<typeof NodeRefSchema>;
  readonly children: readonly ChainTreeInput[];
  readonly shuffles: readonly z.input<typeof ChainShuffleTemplateSchema>[];
}
const ChainTreeTemplateSchema: z.ZodType<ChainTreeTemplate, ChainTreeInput> = z.strictObject({
  node: NodeRefSchema,
  children: z.array(z.lazy(() => ChainTreeTemplateSchema)),
  shuffles: z.array(ChainShuffleTemplateSchema),
});

function resolveTree(tree: ChainTreeTemplate, run: RunContext): ChainTree {
  return {
    node: tree.node,
    children: tree.children.map((child) => resolveTree(child, run)),
    shuffles: tree.shuffles.map((shuffle) => ({
      ...shuffle,
      buckets: resolveShuffleBuckets(shuffle.buckets, run),
    })),
  };
}

/** How the root gets its rows: extract a planned chunk, or reduce a barrier's bucket. */
export const ChainSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extract') }),
  z.strictObject({ kind: z.literal('reduce'), inputs: z.int().min(1) }),
]);

export const ChainEventSchema = z
  .strictObject({
    action: z.literal('chain'),
    run: RunContextSchema,
    chunk: ChunkDescriptorSchema,
    source: ChainSourceSchema,
    root: ChainTreeTemplateSchema,
  })
  .transform((event, context) => {
    try {
      return { ...event, root: resolveTree(event.root, event.run) };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      context.addIssue({ code: 'custom', message: error.message, path: ['run', 'shuffleBuckets'] });
      return z.NEVER;
    }
  });
export type ChainEvent = z.output<typeof ChainEventSchema>;

/** Deliberately tiny, as a Map collects one per chunk: the rows the chain's root produced. */
export interface ChainResult {
  readonly rows: number;
}
