/**
 * The audit trail: one item per write through the API (who, what action,
 * which resource, when), under the organization, newest first.
 *
 * | item  | pk         | sk                          |
 * |-------|------------|-----------------------------|
 * | audit | ORG#<org>  | AUDIT#<iso time>#<ulid>     |
 */
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from './cursor.ts';

export interface AuditEntry {
  readonly at: string;
  /** The token's subject. */
  readonly user: string;
  /** e.g. `pipeline.create`, `run.start`, `connection.delete`. */
  readonly action: string;
  /** e.g. `pipeline/birdstrikes`, `run/01J...`. */
  readonly resource: string;
}

export class AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
  ) {}

  private get pk(): string {
    return `ORG#${this.organization}`;
  }

  async record(entry: Omit<AuditEntry, 'at'>, now = new Date()): Promise<AuditEntry> {
    const saved: AuditEntry = { ...entry, at: now.toISOString() };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.pk, sk: `AUDIT#${saved.at}#${ulid(now.getTime())}`, entity: 'audit', ...saved },
        }),
      );
    } catch (error) {
      throw classifyAwsError(error, `recording audit entry in table ${this.table}`);
    }
    return saved;
  }

  /** Newest first. */
  async list(page: PageRequest): Promise<Page<AuditEntry>> {
    const startKey = decodeCursor(page.cursor, this.pk, 'AUDIT#');
    let result: QueryCommandOutput;
    try {
      result = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.pk, ':prefix': 'AUDIT#' },
          ExclusiveStartKey: startKey,
          ScanIndexForward: false,
          Limit: page.limit,
        }),
      );
    } catch (error) {
      throw classifyAwsError(error, `listing the audit trail in table ${this.table}`);
    }
    const items = (result.Items ?? []).map((item) => ({
      at: String(item.at),
      user: String(item.user),
      action: String(item.action),
      resource: String(item.resource),
    }));
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }
}
