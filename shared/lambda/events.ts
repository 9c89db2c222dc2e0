/**
 * The events each Lambda receives as the `Payload` of a lambda:invoke Task,
 * and what it returns. The translator builds exactly these shapes; handlers
 * parse them through these schemas and never trust them blindly.
 */
import { z } from 'zod';
import { ChunkDescriptorSchema, ChunkRefSchema } from '../chunks/ref.ts';
import { InvalidEventError } from '../errors.ts';

export const ParameterValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** The tenant of the embedded runtime, and of runs started without one. */
export const DEFAULT_ORGANIZATION = 'local';

/** Every key a run writes starts `ORG#<organization>`: `#` or `/` inside it would break that prefix. */
export const OrganizationSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an organization is 1-64 letters, digits, ".", "_" or "-"');

/** Travels with every state: identifies the run, never carries data. */
export const RunContextSchema = z.strictObject({
  runId: z.string().min(1),
  pipelineId: z.string().min(1),
  pipelineName: z.string(),
  parameters: ParameterValuesSchema,
  startedAt: z.string(),
  /** Tenant of the run: handlers build their stores, connections and watermarks for it. */
  organization: OrganizationSchema.default(DEFAULT_ORGANIZATION),
  /**
   * A redrive (same run id) or a rerun of failed chunks (the failed run's id):
   * extractor plans then emit only the chunks listed in this run's resume
   * file, reusing the source run's plan (see shared/executions/resume-plan.ts).
   */
  resumeFrom: z.string().min(1).optional(),
  /** A preview: extractor plans keep only their first this-many chunks. */
  sampleChunks: z.int().min(1).optional(),
  /**
   * Set by each stage's plan (plan-result.ts): the modulus its chunks shuffle
   * with under `execution.shuffle_buckets: auto`. It rides on `run` because
   * `run` is the one field every task of a chunk's iteration passes on, fused
   * or not (each unfused Task's result replaces the state).
   */
  shuffleBuckets: z.int().min(1).optional(),
});
export type RunContext = z.output<typeof RunContextSchema>;

/**
 * A node's config travels through the ASL as a JSON string: inside
 * `Parameters`, Step Functions would evaluate any user key ending in `.$` as
 * a path into the execution state, and validators reject some plain values
 * (an empty string inside a Map's processor). A string is inert. It holds no
 * secrets: connections are referenced by name.
 */
export const NodeConfigJsonSchema = z
  .string()
  .transform((text, context): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'config is not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown()));

export const NodeRefSchema = z.strictObject({
  id: z.string().min(1),
  module: z.string().min(1),
  config: NodeConfigJsonSchema,
});
export type NodeRef = z.output<typeof NodeRefSchema>;

/** Execution input: what `etl run`, the API or a trigger passes to StartExecution. */
export const ExecutionInputSchema = z.strictObject({
  runId: z.string().min(1),
  parameters: ParameterValuesSchema.default({}),
  trigger: z.enum(['manual', 'schedule', 'api', 's3']).default('manual'),
  organization: OrganizationSchema.default(DEFAULT_ORGANIZATION),
  /** The pipeline version the state machine was built from, recorded on the run. */
  pipelineVersion: z.int().min(1).optional(),
  /** The failed run this one reruns the failed chunks of. */
  rerunOf: z.string().min(1).optional(),
  resumeFrom: z.string().min(1).optional(),
  sampleChunks: z.int().min(1).optional(),
});
export type ExecutionInput = z.output<typeof ExecutionInputSchema>;

export const InitEventSchema = z.strictObject({
  pipeline: z.strictObject({
    id: z.string(),
    name: z.string(),
    nodes: z.array(z.strictObject({ id: z.string(), module: z.string() })),
    /** Declared parameters with defaults; the execution input overrides them. */
    parameters: ParameterValuesSchema,
  }),
  input: ExecutionInputSchema,
});
export type InitEvent = z.output<typeof InitEventSchema>;

export const PlanEventSchema = z.strictObject({
  action: z.literal('plan'),
  run: RunContextSchema,
  node: NodeRefSchema,
  /** Target bytes of source data per chunk, from `execution.chunk_size_bytes`. */
  chunkSizeBytes: z.int().min(1),
  /** Chunks the stage runs at once (`execution.max_concurrency`): byte-range planners fill whole waves. */
  workers: z.int().min(1).optional(),
  /** Past this many chunks the list goes to S3 for a Distributed Map; absent: always inline. */
  inlineChunkLimit: z.int().min(0).optional(),
});
export type PlanEvent = z.output<typeof PlanEventSchema>;

export const ExtractEventSchema = z.strictObject({
  action: z.literal('extract'),
  run: RunContextSchema,
  node: NodeRefSchema,
  chunk: ChunkDescriptorSchema,
});
export type ExtractEvent = z.output<typeof ExtractEventSchema>;

export const TransformEventSchema = z.strictObject({
  run: RunContextSchema,
  node: NodeRefSchema,
  chunk: ChunkRefSchema,
});
export type TransformEvent = z.output<typeof TransformEventSchema>;

export const LoadEventSchema = z.strictObject({
  action: z.literal('load'),
  run: RunContextSchema,
  node: NodeRefSchema,
  chunk: ChunkRefSchema,
});
export type LoadEvent = z.output<typeof LoadEventSchema>;

export const CommitEventSchema = z.strictObject({
  action: z.literal('commit'),
  run: RunContextSchema,
  node: NodeRefSchema,
  /** `execution.max_reject_ratio`: checked over every node before anything is published. */
  maxRejectRatio: z.number().min(0).max(1),
});
export type CommitEvent = z.output<typeof CommitEventSchema>;

/** How many buckets a shuffle spreads rows over: a count, or `auto` (the stage's `run.shuffleBuckets`). */
export const ShuffleBucketsSchema = z.union([z.literal('auto'), z.int().min(1)]);

/**
 * The modulus a shuffle uses: a fixed one as given, `auto` from the run. A
 * missing `run.shuffleBuckets` means a plan or translator bug: never retried.
 */
export function resolveShuffleBuckets(
  buckets: z.output<typeof ShuffleBucketsSchema>,
  run: RunContext,
): number {
  if (buckets !== 'auto') return buckets;
  if (run.shuffleBuckets === undefined) {
    throw new InvalidEventError("shuffle_buckets is auto but the stage's plan set no run.shuffleBuckets");
  }
  return run.shuffleBuckets;
}

/** Map side of a barrier: one upstream chunk spread over the barrier's buckets. */
export const ShuffleEventSchema = z.strictObject({
  action: z.literal('shuffle'),
  run: RunContextSchema,
  node: NodeRefSchema,
  chunk: ChunkRefSchema,
  /** Which of the barrier's inputs this chunk feeds (edge order in the pipeline). */
  input: z.int().min(0),
  /** A fixed modulus, or `auto`: the one the stage's plan put in `run.shuffleBuckets`. */
  buckets: ShuffleBucketsSchema,
});
export type ShuffleEvent = z.output<typeof ShuffleEventSchema>;

/** Lists the barrier's non-empty buckets: the chunks of the stage it starts. */
export const BarrierPlanEventSchema = z.strictObject({
  action: z.literal('plan'),
  run: RunContextSchema,
  node: NodeRefSchema,
  inputs: z.int().min(1),
  inlineChunkLimit: z.int().min(0).optional(),
  /** `execution.shuffle_buckets`: a fixed count is the reduce modulus; `auto` sizes it from the shuffled bytes. */
  shuffleBuckets: ShuffleBucketsSchema,
  /** `execution.chunk_size_bytes`: in `auto` mode, about the shuffled bytes one reduce task reads. */
  chunkSizeBytes: z.int().min(1),
  /**
   * Only for a join that may broadcast (functions/transforms/join/strategy.ts):
   * `auto` broadcasts an input that shuffled at most this many bytes. Absent: shuffle.
   */
  broadcastMaxBytes: z.int().min(0).optional(),
});
export type BarrierPlanEvent = z.output<typeof BarrierPlanEventSchema>;

/** Reduce side: one bucket's rows from every input become one output chunk. */
export const ReduceEventSchema = z.strictObject({
  action: z.literal('reduce'),
  run: RunContextSchema,
  node: NodeRefSchema,
  chunk: ChunkDescriptorSchema,
  inputs: z.int().min(1),
});
export type ReduceEvent = z.output<typeof ReduceEventSchema>;

export const FinalizeEventSchema = z.strictObject({
  run: RunContextSchema,
});
export type FinalizeEvent = z.output<typeof FinalizeEventSchema>;

/** OnFailure gets the whole state (it may fail before Init produced `run`) plus the caught error. */
export const OnFailureEventSchema = z.strictObject({
  state: z
    .object({
      run: RunContextSchema.optional(),
      runId: z.string().optional(),
      /** The execution input's, when Init failed before building `run`. */
      organization: OrganizationSchema.optional(),
      error: z.object({ Error: z.string(), Cause: z.unknown() }).optional(),
    })
    .loose(),
  /**
   * `$$.Execution`: its `RedriveCount` names the attempt that failed
   * (shared/executions/run-attempt.ts). Absent from definitions translated before it was passed.
   */
  execution: z.object({ RedriveCount: z.unknown().optional() }).loose().optional(),
});
export type OnFailureEvent = z.output<typeof OnFailureEventSchema>;

/** Where a long chunk list was written, for the Distributed Map's ItemReader and ResultWriter. */
export interface ChunkListLocation {
  readonly Bucket: string;
  readonly Key: string;
  readonly ResultsPrefix: string;
}

/** What plan, extract and transform return: the next state of the iteration. */
export interface PlanResult {
  readonly run: RunContext;
  /** Empty when the list was too long for the state and went to S3 (`chunkList`). */
  readonly chunks: z.output<typeof ChunkDescriptorSchema>[];
  readonly chunkCount: number;
  readonly chunkList?: ChunkListLocation;
}
export interface ChunkResult {
  readonly run: RunContext;
  readonly chunk: z.output<typeof ChunkRefSchema>;
}
/** Loaders end an iteration: their result is deliberately tiny (a Map collects one per chunk). */
export interface LoadResult {
  readonly rows: number;
}
