/**
 * The pipeline spec: one zod schema is the source of the TypeScript types,
 * runtime validation and the JSON Schema served to the console.
 */
import { z } from 'zod';
import { cronProblem } from '../triggers/cron.ts';
import { EXECUTION_DEFAULTS } from './defaults.ts';

const identifier = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'must start with a letter and use only letters, digits, _ or - (max 64)',
  );

export const NodeTypeSchema = z.enum(['extractor', 'transformer', 'loader']);

export const NodeSchema = z.strictObject({
  id: identifier,
  type: NodeTypeSchema,
  module: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
  description: z.string().optional(),
});

export const EdgeSchema = z.strictObject({
  source: z.string().min(1),
  target: z.string().min(1),
});

export const ParameterSchema = z.strictObject({
  type: z.enum(['string', 'number', 'boolean']).default('string'),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  description: z.string().optional(),
});

export const ScheduleSchema = z.strictObject({
  /** Five-field cron (minute hour day-of-month month day-of-week), UTC unless `timezone` is set. */
  cron: z
    .string()
    .regex(/^\S+\s+\S+\s+\S+\s+\S+\s+\S+$/, {
      message: 'must be a 5-field cron expression, e.g. "0 3 * * *"',
      abort: true,
    })
    // The cloud runs schedules on EventBridge Scheduler: refuse what it cannot express exactly.
    .superRefine((cron, context) => {
      const problem = cronProblem(cron);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    }),
  timezone: z.string().default('UTC'),
  enabled: z.boolean().default(true),
});

export const S3TriggerSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(3),
  prefix: z.string().default(''),
  suffix: z.string().optional(),
});

export const NotificationTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email'), address: z.email() }),
  z.strictObject({ type: z.literal('sns'), topic_arn: z.string().startsWith('arn:') }),
  // The URL of a Slack-style webhook is a secret (its path is the token): it lives in a connection's secret.
  z.strictObject({ type: z.literal('webhook'), connection: identifier }),
]);

export const NotificationsSchema = z.strictObject({
  on_failure: z.array(NotificationTargetSchema).default([]),
  on_success: z.array(NotificationTargetSchema).default([]),
});

const d = EXECUTION_DEFAULTS;

export const RetrySettingsSchema = z.strictObject({
  max_attempts: z.int().min(0).max(10).default(d.retries.max_attempts),
  interval_seconds: z.int().min(1).max(3600).default(d.retries.interval_seconds),
  backoff_rate: z.number().min(1).max(10).default(d.retries.backoff_rate),
  max_delay_seconds: z.int().min(1).max(3600).default(d.retries.max_delay_seconds),
});

export const DistributedSettingsSchema = z.strictObject({
  mode: z.enum(['auto', 'inline', 'distributed']).default(d.distributed.mode),
  inline_chunk_limit: z.int().min(1).max(10_000).default(d.distributed.inline_chunk_limit),
  child_execution_type: z.enum(['STANDARD', 'EXPRESS']).default(d.distributed.child_execution_type),
  // An integer: asl-validator's ASL schema refuses a fractional ToleratedFailurePercentage.
  tolerated_failure_percentage: z.int().min(0).max(100).default(d.distributed.tolerated_failure_percentage),
});

export const ExecutionSchema = z.strictObject({
  chunk_size_bytes: z
    .int()
    .min(1024)
    .max(10 * 1024 ** 3)
    .default(d.chunk_size_bytes),
  max_concurrency: z.int().min(1).max(1000).default(d.max_concurrency),
  shuffle_buckets: z.union([z.literal('auto'), z.int().min(1).max(1000)]).default(d.shuffle_buckets),
  broadcast_join_max_bytes: z
    .int()
    .min(0)
    .max(1024 ** 3)
    .default(d.broadcast_join_max_bytes),
  fuse: z.boolean().default(d.fuse),
  max_reject_ratio: z.number().min(0).max(1).default(d.max_reject_ratio),
  distributed: DistributedSettingsSchema.default(() => DistributedSettingsSchema.parse({})),
  timeout_seconds: z.int().min(1).max(31_536_000).default(d.timeout_seconds),
  task_timeout_seconds: z.int().min(1).max(900).default(d.task_timeout_seconds),
  retries: RetrySettingsSchema.default(() => RetrySettingsSchema.parse({})),
});

export const PipelineSchema = z.strictObject({
  $schema: z.string().optional(),
  id: identifier.optional(),
  name: z.string().min(1).max(128),
  description: z.string().optional(),
  nodes: z.array(NodeSchema).min(1),
  edges: z.array(EdgeSchema).default([]),
  parameters: z.record(identifier, ParameterSchema).default({}),
  schedule: ScheduleSchema.optional(),
  triggers: z.array(S3TriggerSchema).default([]),
  notifications: NotificationsSchema.default(() => NotificationsSchema.parse({})),
  execution: ExecutionSchema.default(() => ExecutionSchema.parse({})),
});

/** A pipeline as written by a user (defaults not yet applied). */
export type PipelineInput = z.input<typeof PipelineSchema>;
/** A validated pipeline with every default applied. */
export type Pipeline = z.output<typeof PipelineSchema>;
export type PipelineNode = z.output<typeof NodeSchema>;
export type PipelineEdge = z.output<typeof EdgeSchema>;
export type NodeType = z.output<typeof NodeTypeSchema>;
export type ExecutionSettings = z.output<typeof ExecutionSchema>;
export type RetrySettings = z.output<typeof RetrySettingsSchema>;

/** The JSON Schema document of the pipeline format (served to the console, exported for editors). */
export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
