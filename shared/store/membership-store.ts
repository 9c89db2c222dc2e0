/**
 * Users of an organization and their roles, in the single metadata table:
 *
 * | item       | pk         | sk                 |
 * |------------|------------|--------------------|
 * | membership | ORG#<org>  | MEMBER#<userId>    |
 *
 * Writes are optimistic: each one states the role it read (or that there was
 * none), so two admins changing the same member cannot both win.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ROLES, type Role } from '../auth/principal.ts';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { InvalidEventError } from '../errors.ts';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from './cursor.ts';

/** User ids are token subjects (a Cognito UUID, `alice`, an email): no `#`, no spaces. */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export interface Membership {
  readonly userId: string;
  readonly email?: string;
  readonly role: Role;
  readonly addedAt: string;
  /** The admin who added the user. */
  readonly addedBy: string;
}

/** Another write changed the member between the read and this write. */
export class MembershipConflictError extends Error {
  override readonly name = 'MembershipConflictError';
}

const MembershipItemSchema = z.object({
  userId: z.string(),
  email: z.string().optional(),
  role: z.enum(ROLES),
  addedAt: z.string(),
  addedBy: z.string(),
});

function toMembership(item: Record<string, unknown>): Membership {
  const parsed = MembershipItemSchema.safeParse(item);
  if (!parsed.success) throw new InvalidEventError(`membership item ${String(item.sk)} is malformed`);
  const { email, ...rest } = parsed.data;
  return email === undefined ? rest : { ...rest, email };
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

const PREFIX = 'MEMBER#';

export class MembershipStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
  ) {}

  private get pk(): string {
    return `ORG#${this.organization}`;
  }

  private key(userId: string) {
    return { pk: this.pk, sk: `${PREFIX}${userId}` };
  }

  private async send<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new MembershipConflictError(`${what}: the member was changed meanwhile; read it and retry`);
      }
      throw classifyAwsError(error, `${what} in table ${this.table}`);
    }
  }

  async get(userId: string): Promise<Membership | undefined> {
    const result = await this.send('reading membership', () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: this.key(userId) })),
    );
    return result.Item ? toMembership(result.Item) : undefined;
  }

  /** A page of members, by user id. */
  async list(page: PageRequest): Promise<Page<Membership>> {
    const startKey = decodeCursor(page.cursor, this.pk, PREFIX);
    const result: QueryCommandOutput = await this.send('listing members', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': this.pk, ':prefix': PREFIX },
          ExclusiveStartKey: startKey,
          Limit: page.limit,
        }),
      ),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(toMembership), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** How many members are admins (reads every member item; organizations are small). */
  async countAdmins(): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.send('counting admins', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: '#role = :admin',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':pk': this.pk, ':prefix': PREFIX, ':admin': 'admin' },
            ExclusiveStartKey: startKey,
            Select: 'COUNT',
          }),
        ),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  /**
   * Creates the member (`previous` undefined) or changes its role and email
   * (`previous` as read); `MembershipConflictError` if the item is no longer
   * as read. An update keeps `addedAt`, `addedBy` and, when none is given, the email.
   */
  async put(
    input: { readonly userId: string; readonly role: Role; readonly email?: string },
    by: string,
    previous: Membership | undefined,
    now = new Date(),
  ): Promise<Membership> {
    const email = input.email ?? previous?.email;
    const saved: Membership = {
      userId: input.userId,
      role: input.role,
      ...(email === undefined ? {} : { email }),
      addedAt: previous?.addedAt ?? now.toISOString(),
      addedBy: previous?.addedBy ?? by,
    };
    await this.send(`saving member ${input.userId}`, () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.key(input.userId), entity: 'member', ...saved },
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#role = :role',
                ExpressionAttributeNames: { '#role': 'role' },
                ExpressionAttributeValues: { ':role': previous.role },
              }),
        }),
      ),
    );
    return saved;
  }

  /** Removes the member as read; `MembershipConflictError` if its role changed meanwhile. */
  async delete(previous: Membership): Promise<void> {
    await this.send(`removing member ${previous.userId}`, () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: this.key(previous.userId),
          ConditionExpression: '#role = :role',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':role': previous.role },
        }),
      ),
    );
  }
}
