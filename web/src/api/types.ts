/** The REST API's shapes as the console reads them (see the API contract; the API is the source of truth). */
import type { JsonSchema } from '../forms/json-schema.ts';

export type Role = 'admin' | 'developer' | 'viewer';
export type NodeKind = 'extractor' | 'transformer' | 'loader';

export interface Me {
  readonly user: string;
  readonly org: string;
  readonly role: Role;
}

export interface ModuleInfo {
  readonly name: string;
  readonly kind: NodeKind;
  readonly title?: string;
  readonly description: string;
  readonly configSchema: JsonSchema;
  readonly inputs: { readonly min: number; readonly max: number };
  readonly barrier: boolean;
}

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface PipelineNodeDoc {
  id: string;
  type: NodeKind;
  module: string;
  config: Record<string, unknown>;
  position?: Position;
  description?: string;
}

export interface PipelineEdgeDoc {
  source: string;
  target: string;
}

export interface ParameterDoc {
  type?: 'string' | 'number' | 'boolean';
  default?: string | number | boolean;
  description?: string;
}

export interface ScheduleDoc {
  cron: string;
  timezone?: string;
  enabled?: boolean;
}

export interface S3TriggerDoc {
  type: 's3';
  bucket: string;
  prefix?: string;
  suffix?: string;
}

export type NotificationTargetDoc =
  | { type: 'email'; address: string }
  | { type: 'sns'; topic_arn: string }
  | { type: 'webhook'; connection: string };

export interface NotificationsDoc {
  on_failure?: NotificationTargetDoc[];
  on_success?: NotificationTargetDoc[];
}

/** A pipeline as the user writes it; fields the console doesn't edit (execution, $schema) are kept as they are. */
export interface PipelineDoc {
  $schema?: string;
  id?: string;
  name: string;
  description?: string;
  nodes: PipelineNodeDoc[];
  edges: PipelineEdgeDoc[];
  parameters?: Record<string, ParameterDoc>;
  schedule?: ScheduleDoc;
  triggers?: S3TriggerDoc[];
  notifications?: NotificationsDoc;
  execution?: Record<string, unknown>;
}

export interface ValidationIssue {
  readonly pointer: string;
  readonly message: string;
  readonly code?: string;
}

export interface ValidateResponse {
  readonly valid: boolean;
  readonly errors: readonly ValidationIssue[];
  /** Ids of the nodes that end a stage, config-dependent ones (validate with a unique rule) included. */
  readonly barriers: readonly string[];
  readonly asl?: unknown;
}

export type RunStatus = 'pending' | 'running' | 'success' | 'failed' | 'cancelled' | 'timeout';
export type NodeRunStatus = 'pending' | 'running' | 'success' | 'failed';

export interface PipelineSummary {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly schedule?: ScheduleDoc;
  readonly lastRun?: { readonly runId: string; readonly status: RunStatus; readonly startedAt: string };
}

export interface PipelineDetail {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly pipeline: PipelineDoc;
}

export interface VersionInfo {
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineVersion: number;
  readonly pipelineName: string;
  readonly status: RunStatus;
  readonly trigger: 'manual' | 'schedule' | 'api' | 's3';
  readonly parameters: Record<string, unknown>;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly rowsIn?: number;
  readonly rowsOut?: number;
  readonly rowsRejected?: number;
  readonly error?: { readonly nodeId?: string; readonly name: string; readonly message: string };
  readonly rerunOf?: string;
}

export interface NodeRun {
  readonly nodeId: string;
  readonly module: string;
  readonly status: NodeRunStatus;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
  readonly chunks: number;
  readonly durationMs: number;
  readonly error?: string | { readonly name?: string; readonly message: string };
}

export interface RunDetail extends RunSummary {
  readonly nodes: readonly NodeRun[];
}

export interface RejectSample {
  readonly nodeId: string;
  readonly chunk: number | string;
  readonly line?: number;
  readonly column?: string;
  readonly reason: string;
  readonly row: Record<string, unknown>;
}

export interface QualityRule {
  readonly rule: string;
  readonly column?: string;
  readonly severity: string;
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  readonly examples: readonly unknown[];
}

export interface QualityReport {
  readonly nodes: readonly { readonly nodeId: string; readonly rules: readonly QualityRule[] }[];
}

export interface Alert {
  readonly alertId: string;
  readonly level: 'info' | 'warning' | 'critical';
  readonly type: string;
  readonly pipelineId: string;
  readonly runId?: string;
  readonly message: string;
  readonly createdAt: string;
  readonly resolved: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}
