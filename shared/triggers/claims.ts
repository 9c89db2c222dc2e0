/**
 * "At most once" for at-least-once deliveries (S3 events, schedule ticks):
 * the first caller to write a claim item wins; repeats and concurrent
 * copies see it and stand down.
 *
 * | item  | pk                    | sk               |
 * |-------|-----------------------|------------------|
 * | claim | ORG#<org>#CLAIMS      | <kind>#<id>      |
 *
 * Claims expire through the table's TTL (`expiresAt`) after 30 days: long
 * past any redelivery, short enough that the table does not keep them all.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { classifyAwsError } from '../aws/s3-errors.ts';

const RETENTION_SECONDS = 30 * 24 * 3600;

export interface ClaimRequest {
  readonly organization: string;
  /** What is claimed, e.g. `S3OBJECT#<pipelineId>#<digest>`; unique per organization. */
  readonly id: string;
  /** Kept on the item for whoever investigates (no secrets). */
  readonly attributes: Readonly<Record<string, string | number>>;
}

export class TriggerClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(organization: string, id: string) {
    return { pk: `ORG#${organization}#CLAIMS`, sk: id };
  }

  /** True when this call made the claim; false when someone already had it. */
  async claim(request: ClaimRequest, now = new Date()): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...this.key(request.organization, request.id),
            entity: 'claim',
            ...request.attributes,
            claimedAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw classifyAwsError(error, `claiming ${request.id} in table ${this.table}`);
    }
  }

  /** Gives a claim back when the work it guarded failed, so a redelivery can try again. */
  async release(organization: string, id: string): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: this.key(organization, id) }));
    } catch (error) {
      throw classifyAwsError(error, `releasing claim ${id} in table ${this.table}`);
    }
  }
}
