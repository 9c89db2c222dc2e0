/** Request and response schemas: the source of validation, of the handlers' types and of the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { CONNECTION_TYPES, ConnectionNameSchema } from '../../shared/connections/connection.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';

export const IdentifierSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'must start with a letter and use only letters, digits, _ or - (max 64)',
  );

export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a run id');

/** `.meta`, not `.openapi`: the shared schema may come from a zod copy @hono/zod-openapi did not extend. */
export const PipelineDocumentSchema = PipelineSchema.meta({
  id: 'Pipeline',
  description: 'A pipeline document (see `etl schema`); `id` is the pipeline id.',
});

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ description: '1..100, default 25' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() }).openapi(name);
}

export const ScheduleSummarySchema = z.object({
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
});

export const RunStatusSchema = z.enum(['pending', 'running', 'success', 'failed', 'cancelled', 'timeout']);
export const RunTriggerSchema = z.enum(['manual', 'schedule', 'api', 's3']);
export const NodeStatusSchema = z.enum(['pending', 'running', 'success', 'failed']);
export const ParameterValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const PipelineSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    version: z.int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    schedule: ScheduleSummarySchema.optional(),
    lastRun: z.object({ runId: z.string(), status: RunStatusSchema, startedAt: z.string() }).optional(),
  })
  .openapi('PipelineSummary');

export const PipelineDetailSchema = z
  .object({
    id: z.string(),
    version: z.int(),
    createdAt: z.string(),
    createdBy: z.string(),
    pipeline: PipelineDocumentSchema,
  })
  .openapi('PipelineDetail');

export const VersionSummarySchema = z
  .object({ version: z.int(), createdAt: z.string(), createdBy: z.string() })
  .openapi('PipelineVersionSummary');

export const UpdatePipelineSchema = z
  .strictObject({ pipeline: PipelineDocumentSchema, expectedVersion: z.int().min(1) })
  .openapi('UpdatePipeline');

export const RunErrorSchema = z.object({
  nodeId: z.string().optional(),
  name: z.string(),
  message: z.string(),
});

export const RunSummarySchema = z
  .object({
    runId: z.string(),
    pipelineId: z.string(),
    pipelineVersion: z.int().openapi({ description: '0 for a run of an unversioned file (`etl run`)' }),
    pipelineName: z.string(),
    status: RunStatusSchema,
    trigger: RunTriggerSchema,
    parameters: ParameterValuesSchema,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    durationMs: z.number().optional(),
    rowsIn: z.number().optional(),
    rowsOut: z.number().optional(),
    error: RunErrorSchema.optional(),
    rerunOf: z.string().optional(),
  })
  .openapi('RunSummary');

export const NodeRunSchema = z
  .object({
    nodeId: z.string(),
    module: z.string(),
    status: NodeStatusSchema,
    rowsIn: z.number(),
    rowsOut: z.number(),
    rowsRejected: z.number(),
    rowsFiltered: z.number(),
    chunks: z.number(),
    durationMs: z.number(),
    error: RunErrorSchema.optional(),
  })
  .openapi('NodeRun');

export const RunDetailSchema = RunSummarySchema.extend({ nodes: z.array(NodeRunSchema) }).openapi(
  'RunDetail',
);

export const StartRunSchema = z
  .strictObject({ parameters: ParameterValuesSchema.optional() })
  .openapi('StartRun');

export const RunIdResponseSchema = z.object({ runId: z.string() }).openapi('RunId');

export const ModuleSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['extractor', 'transformer', 'loader']),
    description: z.string(),
    configSchema: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of the config' }),
    inputs: z.object({ min: z.int(), max: z.int() }),
    barrier: z.boolean().openapi({
      description:
        'Whether every node of the module ends a stage; some (validate with a unique rule) do only for some configs: POST /validate lists those nodes',
    }),
  })
  .openapi('Module');

export const ValidationErrorSchema = z.object({ pointer: z.string(), message: z.string(), code: z.string() });

export const ValidateResponseSchema = z
  .object({
    valid: z.boolean(),
    errors: z.array(ValidationErrorSchema),
    barriers: z.array(z.string()).openapi({
      description:
        'Ids of the nodes that end a stage: every chunk of their input is shuffled by key, then reduced per bucket',
    }),
    asl: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('ValidationResult');

export const ConnectionSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    settings: z.record(z.string(), z.unknown()),
    hasSecret: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Connection');

export const CreateConnectionSchema = z
  .strictObject({
    name: ConnectionNameSchema,
    type: z.enum(CONNECTION_TYPES as [string, ...string[]]),
    settings: z.record(z.string(), z.unknown()),
    secret: z
      .union([z.string().min(1), z.strictObject({ password: z.string().min(1) })])
      .optional()
      .openapi({ description: 'Write-only: the password, as text or { password }; never returned' }),
  })
  .openapi('CreateConnection');

export const ConnectionTestSchema = z
  .object({ ok: z.boolean(), message: z.string() })
  .openapi('ConnectionTest');

export const AuditEntrySchema = z
  .object({ at: z.string(), user: z.string(), action: z.string(), resource: z.string() })
  .openapi('AuditEntry');

export const RejectSchema = z
  .object({
    nodeId: z.string(),
    chunk: z.int(),
    line: z.number().optional(),
    column: z.string().optional(),
    reason: z.string(),
    row: z.record(z.string(), z.unknown()),
  })
  .openapi('Reject');

export const QualityReportSchema = z
  .object({
    nodes: z.array(
      z.object({
        nodeId: z.string(),
        rules: z.array(
          z.object({
            rule: z.string(),
            column: z.string().optional(),
            severity: z.string(),
            checked: z.number(),
            passed: z.number(),
            failed: z.number(),
            examples: z.array(z.unknown()),
          }),
        ),
      }),
    ),
  })
  .openapi('QualityReport');

export const MeSchema = z
  .object({ user: z.string(), org: z.string(), role: z.enum(['admin', 'developer', 'viewer']) })
  .openapi('Me');

export const MembershipSchema = z
  .object({
    userId: z.string(),
    email: z.string().optional(),
    role: z.enum(['admin', 'developer', 'viewer']),
    addedAt: z.string(),
    addedBy: z.string(),
  })
  .openapi('Membership');

export const PutMembershipSchema = z
  .strictObject({
    role: z.enum(['admin', 'developer', 'viewer']),
    email: z.email().max(254).optional(),
  })
  .openapi('PutMembership');

export const TranslateResponseSchema = z
  .object({
    asl: z.record(z.string(), z.unknown()).openapi({ description: 'The Step Functions definition' }),
  })
  .openapi('Translation');
