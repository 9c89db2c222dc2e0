/**
 * Incremental extraction state, like Glue job bookmarks: per pipeline node,
 * the highest cursor value a successful run has read.
 *
 * | item              | pk                               | sk                  |
 * |-------------------|----------------------------------|---------------------|
 * | pending watermark | ORG#<org>#RUN#<runId>            | WATERMARK#<nodeId>  |
 * | watermark         | ORG#<org>#PIPELINE#<pipelineId>  | WATERMARK#<nodeId>  |
 *
 * A plan records the watermark its run will reach as pending; Finalize, which
 * runs only when every stage and commit succeeded, promotes the run's pending
 * watermarks. A failed run leaves the saved ones untouched.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createDynamoDbClient } from '../aws/clients.ts';
import { readHandlerEnv } from '../aws/env.ts';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { currentRunOrganization } from '../lambda/run-organization.ts';
import { callTable } from './table-call.ts';

export const WatermarkSchema = z.object({
  pipelineId: z.string(),
  nodeId: z.string(),
  /** The cursor column it is the maximum of. */
  column: z.string(),
  /** DuckDB type of the column, e.g. `TIMESTAMP WITH TIME ZONE`, so it is bound back as the right kind. */
  type: z.string(),
  /** The value as the database prints it; compared by the database, never by us. */
  value: z.string(),
  /** The run that reached it (a ULID: later runs sort after earlier ones). */
  runId: z.string(),
  updatedAt: z.string(),
});
export type Watermark = z.output<typeof WatermarkSchema>;

type Item = Record<string, unknown>;

function strip(item: Item): Item {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}

export class WatermarkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
  ) {}

  private savedKey(pipelineId: string, nodeId: string) {
    return { pk: `ORG#${this.organization}#PIPELINE#${pipelineId}`, sk: `WATERMARK#${nodeId}` };
  }

  private pendingKey(runId: string, nodeId: string) {
    return { pk: `ORG#${this.organization}#RUN#${runId}`, sk: `WATERMARK#${nodeId}` };
  }

  private send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  async get(pipelineId: string, nodeId: string): Promise<Watermark | undefined> {
    const result = await this.send('reading watermark', () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: this.savedKey(pipelineId, nodeId) })),
    );
    return result.Item ? WatermarkSchema.parse(strip(result.Item)) : undefined;
  }

  async list(pipelineId: string): Promise<Watermark[]> {
    const result = await this.send('listing watermarks', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': `ORG#${this.organization}#PIPELINE#${pipelineId}`,
            ':prefix': 'WATERMARK#',
          },
        }),
      ),
    );
    return (result.Items ?? []).map((item) => WatermarkSchema.parse(strip(item)));
  }

  /** Records what the run will have read once it succeeds. A re-planned node overwrites its own. */
  async stage(watermark: Watermark): Promise<void> {
    await this.send('recording pending watermark', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.pendingKey(watermark.runId, watermark.nodeId), ...watermark },
        }),
      ),
    );
  }

  /**
   * Hands a failed run's pending watermarks to the run that reruns its
   * failed chunks: that run does not plan again, yet what it commits is what
   * the failed run's plan read, so its Finalize must save the same watermarks.
   */
  async copyPending(fromRunId: string, toRunId: string): Promise<number> {
    const pending = await this.send('reading pending watermarks', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.pendingKey(fromRunId, '').pk, ':prefix': 'WATERMARK#' },
        }),
      ),
    );
    for (const item of pending.Items ?? []) {
      await this.stage({ ...WatermarkSchema.parse(strip(item)), runId: toRunId });
    }
    return pending.Items?.length ?? 0;
  }

  /**
   * Saves the run's pending watermarks; safe to repeat (a retried Finalize).
   * A run that started before the saved watermark's run never moves it back.
   */
  async promote(runId: string): Promise<Watermark[]> {
    const pending = await this.send('reading pending watermarks', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.pendingKey(runId, '').pk, ':prefix': 'WATERMARK#' },
        }),
      ),
    );
    const promoted: Watermark[] = [];
    for (const item of pending.Items ?? []) {
      const watermark = WatermarkSchema.parse(strip(item));
      const saved = await this.client
        .send(
          new PutCommand({
            TableName: this.table,
            Item: { ...this.savedKey(watermark.pipelineId, watermark.nodeId), ...watermark },
            ConditionExpression: 'attribute_not_exists(pk) OR runId <= :runId',
            ExpressionAttributeValues: { ':runId': watermark.runId },
          }),
        )
        .then(
          () => true,
          (error: unknown) => {
            if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
            throw classifyAwsError(error, `saving watermark in table ${this.table}`);
          },
        );
      if (saved) promoted.push(watermark);
    }
    return promoted;
  }

  /** Forgets a node's watermark, so its next run reads from the start; returns what it was. */
  async reset(pipelineId: string, nodeId: string): Promise<Watermark | undefined> {
    const result = await this.send('resetting watermark', () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: this.savedKey(pipelineId, nodeId),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return result.Attributes ? WatermarkSchema.parse(strip(result.Attributes)) : undefined;
  }
}

let cached: { key: string; client: DynamoDBDocumentClient; stores: Map<string, WatermarkStore> } | undefined;

/**
 * The store for the handler environment and a tenant, built once per process
 * (like `handlerDeps`). The tenant defaults to the run a node task works for,
 * then to the deployment's default.
 */
export function watermarkStoreFromEnv(organization?: string): WatermarkStore {
  const env = readHandlerEnv();
  const key = JSON.stringify(env);
  if (cached?.key !== key) cached = { key, client: createDynamoDbClient(env), stores: new Map() };
  const tenant = organization ?? currentRunOrganization() ?? env.organization;
  let store = cached.stores.get(tenant);
  if (store === undefined) {
    store = new WatermarkStore(cached.client, env.metadataTable, tenant);
    cached.stores.set(tenant, store);
  }
  return store;
}
