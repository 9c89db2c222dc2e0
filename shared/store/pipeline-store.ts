/**
 * Pipelines and their immutable versions in the single metadata table (see
 * ACCESS-PATTERNS.md beside this file):
 *
 * | item          | pk                          | sk                              |
 * |---------------|-----------------------------|---------------------------------|
 * | head          | ORG#<org>                   | PIPELINE#<id>                   |
 * | version       | ORG#<org>#PIPELINE#<id>     | V#<version:6>                   |
 * | (watermarks)  | ORG#<org>#PIPELINE#<id>     | WATERMARK#<nodeId>              |
 * | s3 trigger    | S3TRIGGER#<bucket>          | ORG#<org>#PIPELINE#<id>         |
 * | schedule      | SCHEDULES                   | ORG#<org>#PIPELINE#<id>         |
 *
 * The head is the commit point: it holds the latest document and its version
 * number, and only the writer whose conditional update moves it from n to
 * n + 1 writes version item n + 1, so version items never change once
 * written. Trigger and schedule items are derived from the latest version.
 */
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { classifyAwsError } from '../aws/s3-errors.ts';
import type { Pipeline } from '../spec/schema.ts';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from './cursor.ts';
import { callTable } from './table-call.ts';

type Item = Record<string, unknown>;

/** Heads hold the document too; DynamoDB items stop at 400 KB. */
export const MAX_PIPELINE_BYTES = 300_000;

export interface PipelineSchedule {
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
}

export interface PipelineHead {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly schedule?: PipelineSchedule;
  readonly lastRunId?: string;
}

export interface PipelineVersion {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly pipeline: Pipeline;
}

export interface VersionSummary {
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The head moved on (or the id is taken): the caller's view is stale. */
export class PipelineConflictError extends Error {
  override readonly name = 'PipelineConflictError';
}

export class PipelineTooLargeError extends Error {
  override readonly name = 'PipelineTooLargeError';
}

export interface TriggerMatch {
  readonly organization: string;
  readonly pipelineId: string;
}

export interface ScheduledPipeline extends TriggerMatch {
  readonly cron: string;
  readonly timezone: string;
}

const HEAD_FIELDS = [
  'id',
  'name',
  'description',
  'version',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'schedule',
  'lastRunId',
];

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

function versionSk(version: number): string {
  return `V#${String(version).padStart(6, '0')}`;
}

function indexSk(organization: string, pipelineId: string): string {
  return `ORG#${organization}#PIPELINE#${pipelineId}`;
}

function triggerBuckets(pipeline: Pipeline | undefined): Map<string, { prefix: string; suffix?: string }[]> {
  const byBucket = new Map<string, { prefix: string; suffix?: string }[]>();
  for (const trigger of pipeline?.triggers ?? []) {
    const rules = byBucket.get(trigger.bucket) ?? [];
    rules.push({
      prefix: trigger.prefix,
      ...(trigger.suffix !== undefined ? { suffix: trigger.suffix } : {}),
    });
    byBucket.set(trigger.bucket, rules);
  }
  return byBucket;
}

function toHead(item: Item): PipelineHead {
  const head: Record<string, unknown> = {};
  for (const field of HEAD_FIELDS) if (item[field] !== undefined) head[field] = item[field];
  return head as unknown as PipelineHead;
}

function parseDocument(item: Item): Pipeline {
  return JSON.parse(String(item.document)) as Pipeline;
}

abstract class TableAccess {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly table: string,
  ) {}

  protected send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  protected async queryAll(pk: string, skPrefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('reading items', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

export class PipelineStore extends TableAccess {
  constructor(
    client: DynamoDBDocumentClient,
    table: string,
    private readonly organization: string,
  ) {
    super(client, table);
  }

  private get orgPk(): string {
    return `ORG#${this.organization}`;
  }

  private headKey(id: string) {
    return { pk: this.orgPk, sk: `PIPELINE#${id}` };
  }

  private versionsPk(id: string): string {
    return `ORG#${this.organization}#PIPELINE#${id}`;
  }

  /** Creates version 1; `PipelineConflictError` when the id is taken. */
  async create(id: string, pipeline: Pipeline, author: string, now = new Date()): Promise<PipelineVersion> {
    const created = await this.write(id, pipeline, author, now, undefined);
    if (created === undefined) throw new PipelineConflictError(`pipeline ${id} already exists`);
    return created;
  }

  /**
   * Saves a new version when `expectedVersion` is the latest; undefined when
   * there is no such pipeline, `PipelineConflictError` when it moved on.
   */
  async update(
    id: string,
    pipeline: Pipeline,
    expectedVersion: number,
    author: string,
    now = new Date(),
  ): Promise<PipelineVersion | undefined> {
    return this.write(id, pipeline, author, now, expectedVersion);
  }

  private async write(
    id: string,
    pipeline: Pipeline,
    author: string,
    now: Date,
    expectedVersion: number | undefined,
  ): Promise<PipelineVersion | undefined> {
    const stored: Pipeline = { ...pipeline, id };
    const document = JSON.stringify(stored);
    if (Buffer.byteLength(document, 'utf8') > MAX_PIPELINE_BYTES) {
      throw new PipelineTooLargeError(
        `the pipeline is ${Buffer.byteLength(document, 'utf8')} bytes of JSON; at most ${MAX_PIPELINE_BYTES} can be stored`,
      );
    }
    const at = now.toISOString();
    const version = (expectedVersion ?? 0) + 1;
    const schedule = stored.schedule
      ? { cron: stored.schedule.cron, timezone: stored.schedule.timezone, enabled: stored.schedule.enabled }
      : undefined;
    const set: Record<string, unknown> = {
      entity: 'pipeline',
      id,
      name: stored.name,
      version,
      updatedAt: at,
      updatedBy: author,
      document,
      ...(expectedVersion === undefined ? { createdAt: at, createdBy: author } : {}),
      ...(stored.description !== undefined ? { description: stored.description } : {}),
      ...(schedule ? { schedule } : {}),
    };
    const removes = ['description', 'schedule'].filter((field) => set[field] === undefined);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(set).map(([field, value], index) => {
      names[`#s${index}`] = field;
      values[`:s${index}`] = value;
      return `#s${index} = :s${index}`;
    });
    const removals = removes.map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    if (expectedVersion !== undefined) {
      names['#version'] = 'version';
      values[':expected'] = expectedVersion;
    }

    let previous: Item | undefined;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.headKey(id),
          UpdateExpression: `SET ${sets.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression:
            expectedVersion === undefined
              ? 'attribute_not_exists(pk)'
              : 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = result.Attributes;
    } catch (error) {
      if (!isConditionFailure(error))
        throw classifyAwsError(error, `saving pipeline ${id} in table ${this.table}`);
      if (expectedVersion === undefined) throw new PipelineConflictError(`pipeline ${id} already exists`);
      const current = await this.getHeadItem(id);
      if (current === undefined) return undefined;
      throw new PipelineConflictError(
        `pipeline ${id} is at version ${String(current.version)}, not ${expectedVersion}: reload it and apply the change again`,
      );
    }
    await this.send('saving pipeline version', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: this.versionsPk(id),
            sk: versionSk(version),
            entity: 'pipelineVersion',
            id,
            version,
            createdAt: at,
            createdBy: author,
            document,
          },
        }),
      ),
    );
    await this.syncIndexes(id, previous ? parseDocument(previous) : undefined, stored);
    return { id, version, createdAt: at, createdBy: author, pipeline: stored };
  }

  /** Points trigger and schedule items at the latest version; removes what it no longer has. */
  private async syncIndexes(id: string, before: Pipeline | undefined, after: Pipeline | undefined) {
    const sk = indexSk(this.organization, id);
    const old = triggerBuckets(before);
    const current = triggerBuckets(after);
    for (const [bucket, rules] of current) {
      await this.send('saving trigger index', () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: `S3TRIGGER#${bucket}`,
              sk,
              entity: 's3Trigger',
              organization: this.organization,
              pipelineId: id,
              bucket,
              prefixes: rules.map((rule) => rule.prefix),
              rules,
            },
          }),
        ),
      );
    }
    for (const bucket of old.keys()) {
      if (current.has(bucket)) continue;
      await this.send('removing trigger index', () =>
        this.client.send(
          new DeleteCommand({ TableName: this.table, Key: { pk: `S3TRIGGER#${bucket}`, sk } }),
        ),
      );
    }
    const schedule = after?.schedule?.enabled ? after.schedule : undefined;
    if (schedule) {
      await this.send('saving schedule index', () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: 'SCHEDULES',
              sk,
              entity: 'schedule',
              organization: this.organization,
              pipelineId: id,
              cron: schedule.cron,
              timezone: schedule.timezone,
            },
          }),
        ),
      );
    } else if (before?.schedule) {
      await this.send('removing schedule index', () =>
        this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: 'SCHEDULES', sk } })),
      );
    }
  }

  private async getHeadItem(id: string): Promise<Item | undefined> {
    const result = await this.send('reading pipeline', () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: this.headKey(id) })),
    );
    return result.Item;
  }

  async getHead(id: string): Promise<PipelineHead | undefined> {
    const item = await this.getHeadItem(id);
    return item ? toHead(item) : undefined;
  }

  /** The latest version, read from the head alone. */
  async getLatest(id: string): Promise<PipelineVersion | undefined> {
    const item = await this.getHeadItem(id);
    if (item === undefined) return undefined;
    return {
      id,
      version: Number(item.version),
      createdAt: String(item.updatedAt),
      createdBy: String(item.updatedBy),
      pipeline: parseDocument(item),
    };
  }

  async getVersion(id: string, version: number): Promise<PipelineVersion | undefined> {
    const head = await this.getHeadItem(id);
    if (head === undefined || version > Number(head.version)) return undefined;
    if (version === Number(head.version)) return this.getLatest(id);
    const result = await this.send('reading pipeline version', () =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: this.versionsPk(id), sk: versionSk(version) } }),
      ),
    );
    const item = result.Item;
    if (item === undefined) return undefined;
    return {
      id,
      version: Number(item.version),
      createdAt: String(item.createdAt),
      createdBy: String(item.createdBy),
      pipeline: parseDocument(item),
    };
  }

  async list(page: PageRequest): Promise<Page<PipelineHead>> {
    const startKey = decodeCursor(page.cursor, this.orgPk, 'PIPELINE#');
    const result = await this.send('listing pipelines', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.orgPk, ':prefix': 'PIPELINE#' },
          ProjectionExpression: ['pk', 'sk', ...HEAD_FIELDS].map((_, index) => `#f${index}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(
            ['pk', 'sk', ...HEAD_FIELDS].map((field, index) => [`#f${index}`, field]),
          ),
          ExclusiveStartKey: startKey,
          Limit: page.limit,
        }),
      ),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(toHead), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Newest first. */
  async listVersions(id: string, page: PageRequest): Promise<Page<VersionSummary> | undefined> {
    const head = await this.getHeadItem(id);
    if (head === undefined) return undefined;
    const startKey = decodeCursor(page.cursor, this.versionsPk(id), 'V#');
    const result = await this.send('listing pipeline versions', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.versionsPk(id), ':prefix': 'V#' },
          ProjectionExpression: 'pk, sk, #version, createdAt, createdBy',
          ExpressionAttributeNames: { '#version': 'version' },
          ExclusiveStartKey: startKey,
          ScanIndexForward: false,
          Limit: page.limit,
        }),
      ),
    );
    const items = (result.Items ?? []).map((item) => ({
      version: Number(item.version),
      createdAt: String(item.createdAt),
      createdBy: String(item.createdBy),
    }));
    // The head commits a version before its item is written: show it even if that write was lost.
    const latest = Number(head.version);
    if (page.cursor === undefined && items[0]?.version !== latest) {
      items.unshift({
        version: latest,
        createdAt: String(head.updatedAt),
        createdBy: String(head.updatedBy),
      });
    }
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Removes the pipeline, its versions, watermarks and index items; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.send('removing pipeline', () =>
      this.client.send(
        new DeleteCommand({ TableName: this.table, Key: this.headKey(id), ReturnValues: 'ALL_OLD' }),
      ),
    );
    if (result.Attributes === undefined) return false;
    await this.syncIndexes(id, parseDocument(result.Attributes), undefined);
    // The whole pipeline partition: its versions and its saved watermarks (watermark-store.ts),
    // so a pipeline created again under this id starts with no state.
    const versions = await this.queryAll(this.versionsPk(id));
    for (let start = 0; start < versions.length; start += 25) {
      const batch = versions.slice(start, start + 25);
      let requests: Record<string, unknown>[] = batch.map((item) => ({
        DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
      }));
      while (requests.length > 0) {
        const written = await this.send('removing pipeline versions', () =>
          this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } })),
        );
        requests = (written.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
    return true;
  }

  /** Remembers the pipeline's latest run, shown in lists; a no-op if the pipeline is gone. */
  async noteRun(id: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.headKey(id),
          UpdateExpression: 'SET lastRunId = :runId',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastRunId) OR lastRunId < :runId)',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw classifyAwsError(error, `recording the run of pipeline ${id}`);
    }
  }
}

/**
 * Cross-organization lookups for the trigger and scheduler processes (never
 * for the API, whose every read is under the caller's organization).
 */
export class PipelineTriggerIndex extends TableAccess {
  /** Pipelines with an S3 trigger whose prefix (and suffix, if any) the object key matches. */
  async findPipelinesForObject(bucket: string, key: string): Promise<TriggerMatch[]> {
    const items = await this.queryAll(`S3TRIGGER#${bucket}`);
    return items
      .filter((item) =>
        ((item.rules ?? []) as { prefix: string; suffix?: string }[]).some(
          (rule) => key.startsWith(rule.prefix) && (rule.suffix === undefined || key.endsWith(rule.suffix)),
        ),
      )
      .map((item) => ({ organization: String(item.organization), pipelineId: String(item.pipelineId) }));
  }

  /** Every pipeline with an enabled schedule, across organizations. */
  async listScheduledPipelines(): Promise<ScheduledPipeline[]> {
    const items = await this.queryAll('SCHEDULES');
    return items.map((item) => ({
      organization: String(item.organization),
      pipelineId: String(item.pipelineId),
      cron: String(item.cron),
      timezone: String(item.timezone ?? 'UTC'),
    }));
  }
}

export function findPipelinesForObject(
  client: DynamoDBDocumentClient,
  table: string,
  bucket: string,
  key: string,
): Promise<TriggerMatch[]> {
  return new PipelineTriggerIndex(client, table).findPipelinesForObject(bucket, key);
}

export function listScheduledPipelines(
  client: DynamoDBDocumentClient,
  table: string,
): Promise<ScheduledPipeline[]> {
  return new PipelineTriggerIndex(client, table).listScheduledPipelines();
}
