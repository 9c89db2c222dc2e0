/**
 * Connection metadata in the single metadata table, under the organization:
 *
 * | item       | pk         | sk                  |
 * |------------|------------|---------------------|
 * | connection | ORG#<org>  | CONNECTION#<name>   |
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { InvalidEventError } from '../errors.ts';
import { callTable } from '../store/table-call.ts';
import { CONNECTION_TYPES, type ConnectionRecord } from './connection.ts';

const ConnectionItemSchema = z.object({
  name: z.string(),
  type: z.enum(CONNECTION_TYPES as [string, ...string[]]),
  settings: z.record(z.string(), z.unknown()),
  hasSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function toRecord(item: Record<string, unknown>): ConnectionRecord {
  const parsed = ConnectionItemSchema.safeParse(item);
  if (!parsed.success) throw new InvalidEventError(`connection item ${String(item.sk)} is malformed`);
  return parsed.data as ConnectionRecord;
}

export class ConnectionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
  ) {}

  private key(name: string) {
    return { pk: `ORG#${this.organization}`, sk: `CONNECTION#${name}` };
  }

  private send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  /** Creates or replaces; keeps the first `createdAt`. */
  async put(
    record: Omit<ConnectionRecord, 'createdAt' | 'updatedAt'>,
    now = new Date(),
  ): Promise<ConnectionRecord> {
    const existing = await this.get(record.name);
    const saved: ConnectionRecord = {
      ...record,
      createdAt: existing?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.send('saving connection', () =>
      this.client.send(
        new PutCommand({ TableName: this.table, Item: { ...this.key(record.name), ...saved } }),
      ),
    );
    return saved;
  }

  async get(name: string): Promise<ConnectionRecord | undefined> {
    const result = await this.send('reading connection', () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: this.key(name) })),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async list(): Promise<ConnectionRecord[]> {
    const records: ConnectionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('listing connections', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `ORG#${this.organization}`, ':prefix': 'CONNECTION#' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      records.push(...(page.Items ?? []).map(toRecord));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  /** Returns whether there was one. */
  async delete(name: string): Promise<boolean> {
    const result = await this.send('removing connection', () =>
      this.client.send(
        new DeleteCommand({ TableName: this.table, Key: this.key(name), ReturnValues: 'ALL_OLD' }),
      ),
    );
    return result.Attributes !== undefined;
  }
}
