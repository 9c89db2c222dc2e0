/**
 * Alerts in the single metadata table: what went wrong with a run (failure,
 * timeout, data quality, rejects), listed newest first and resolved by hand.
 *
 * | item  | pk        | sk                          |
 * |-------|-----------|-----------------------------|
 * | alert | ORG#<org> | ALERT#<alertId>             |
 *
 * with `alertId` = `<runId>.<type>` (or `<ULID>.<type>` for an alert of no run),
 * and `<runId>.<n>.<type>` for the attempt after the n-th redrive.
 * One alert per run attempt and type: the id is derived from both, and
 * `raise` is a conditional put, so a retried or duplicated Finalize/OnFailure
 * writes one, while a redriven run that fails again raises a new one.
 * Run ids are ULIDs, so the sort key orders alerts by time. Listing open (or
 * resolved) alerts filters the organization's alert range: alerts are few
 * per run, so no index is needed for it.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { TerminalError } from '../errors.ts';
import { attemptKey, FIRST_ATTEMPT } from '../executions/run-attempt.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import { callTable } from './table-call.ts';

export type AlertLevel = 'info' | 'warning' | 'critical';
export type AlertType = 'run_failed' | 'run_timeout' | 'quality_failed' | 'reject_ratio';

/** The API's Alert shape (binding: /api/alerts answers exactly this). */
export interface Alert {
  readonly alertId: string;
  readonly level: AlertLevel;
  readonly type: AlertType;
  readonly pipelineId: string;
  readonly runId?: string;
  readonly message: string;
  readonly createdAt: string;
  readonly resolved: boolean;
}

export interface RaiseAlert {
  readonly level: AlertLevel;
  readonly type: AlertType;
  readonly pipelineId: string;
  /** Alerts of a run are unique per (runId, attempt, type); without one, every raise is a new alert. */
  readonly runId?: string;
  /** Redrives of the run before the attempt that ended (`$$.Execution.RedriveCount`); default 0. */
  readonly attempt?: number;
  readonly message: string;
}

export interface ListAlerts {
  readonly resolved?: boolean;
  /** 1..100, default 25. */
  readonly limit?: number;
  readonly cursor?: string;
}

export class AlertNotFoundError extends TerminalError {
  override readonly name = 'AlertNotFoundError';
}

const SK_PREFIX = 'ALERT#';
const ALERT_FIELDS = ['alertId', 'level', 'type', 'pipelineId', 'runId', 'message', 'createdAt', 'resolved'];
/** Alert ids are `<runId or ULID>[.<attempt>].<type>`: the sort key is recovered from them without a lookup. */
const ALERT_ID =
  /^([0-9A-Za-z_-]{1,64})(\.[1-9][0-9]{0,5})?\.(run_failed|run_timeout|quality_failed|reject_ratio)$/;

type Item = Record<string, unknown>;

function toAlert(item: Item): Alert {
  const alert: Record<string, unknown> = {};
  for (const field of ALERT_FIELDS) if (item[field] !== undefined) alert[field] = item[field];
  return alert as unknown as Alert;
}

export class AlertStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
  ) {}

  private get pk(): string {
    return `ORG#${this.organization}`;
  }

  private send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  /**
   * Records the alert unless this attempt of the run already has one of this type.
   * Returns the stored alert and whether this call created it.
   */
  async raise(request: RaiseAlert, now = new Date()): Promise<{ alert: Alert; created: boolean }> {
    const source =
      request.runId === undefined
        ? ulid(now.getTime())
        : attemptKey(request.runId, request.attempt ?? FIRST_ATTEMPT);
    const alertId = `${source}.${request.type}`;
    const alert: Alert = {
      alertId,
      level: request.level,
      type: request.type,
      pipelineId: request.pipelineId,
      ...(request.runId === undefined ? {} : { runId: request.runId }),
      message: request.message,
      createdAt: now.toISOString(),
      resolved: false,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.pk, sk: `${SK_PREFIX}${alertId}`, entity: 'alert', ...alert },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { alert, created: true };
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') {
        throw classifyAwsError(error, `raising alert ${alertId} in table ${this.table}`);
      }
    }
    return { alert: await this.get(alertId), created: false };
  }

  async get(alertId: string): Promise<Alert> {
    const result = await this.send(`reading alert ${alertId}`, () =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: this.pk, sk: `${SK_PREFIX}${alertId}` } }),
      ),
    );
    const item = result.Item;
    if (item === undefined) throw new AlertNotFoundError(`alert ${alertId} does not exist`);
    return toAlert(item);
  }

  /** Newest first; `resolved` narrows to open (false) or resolved (true) alerts. */
  async list(request: ListAlerts = {}): Promise<Page<Alert>> {
    const limit = Math.min(Math.max(request.limit ?? 25, 1), 100);
    const items: Alert[] = [];
    let startKey: Record<string, unknown> | undefined = decodeCursor(request.cursor, this.pk, SK_PREFIX);
    // A filter applies after Limit: keep reading until the page is full or the range ends.
    do {
      const page = await this.send('listing alerts', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': this.pk,
              ':prefix': SK_PREFIX,
              ...(request.resolved === undefined ? {} : { ':resolved': request.resolved }),
            },
            ...(request.resolved === undefined ? {} : { FilterExpression: 'resolved = :resolved' }),
            ScanIndexForward: false,
            Limit: limit - items.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []).map(toAlert));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    const nextCursor = encodeCursor(startKey);
    return { items, ...(nextCursor === undefined ? {} : { nextCursor }) };
  }

  /** Marks the alert resolved (repeating it is harmless); AlertNotFoundError if there is none. */
  async resolve(alertId: string): Promise<Alert> {
    if (!ALERT_ID.test(alertId)) throw new AlertNotFoundError(`alert ${alertId} does not exist`);
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.pk, sk: `${SK_PREFIX}${alertId}` },
          UpdateExpression: 'SET resolved = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toAlert(result.Attributes ?? {});
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new AlertNotFoundError(`alert ${alertId} does not exist`);
      }
      throw classifyAwsError(error, `resolving alert ${alertId} in table ${this.table}`);
    }
  }
}
