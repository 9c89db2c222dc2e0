/**
 * One BatchWriteItem batch, retried while DynamoDB answers with unprocessed
 * items (throttling or a partition over its limit), with exponential backoff
 * and full jitter as the AWS SDK guide recommends.
 */
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { DYNAMODB_DEFAULTS } from './config.ts';
import { unprocessedItemsError } from './errors.ts';

export type PutRequests = { PutRequest: { Item: Record<string, NativeAttributeValue> } }[];

/** Sends one request, answers what is left (empty when everything was written). */
export type BatchSender = (requests: PutRequests) => Promise<PutRequests>;

export interface RetryOptions {
  readonly table: string;
  readonly maxAttempts: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(
    DYNAMODB_DEFAULTS.max_backoff_ms,
    DYNAMODB_DEFAULTS.backoff_base_ms * 2 ** attempt,
  );
  return Math.round(random() * ceiling);
}

/** Returns the number of attempts it took. */
export async function writeBatchWithRetries(
  send: BatchSender,
  requests: PutRequests,
  options: RetryOptions,
): Promise<number> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  let left = requests;
  for (let attempt = 1; ; attempt++) {
    left = await send(left);
    if (left.length === 0) return attempt;
    if (attempt >= options.maxAttempts) throw unprocessedItemsError(options.table, left.length, attempt);
    await sleep(backoffMs(attempt, random));
  }
}

type UnprocessedWrites = Record<string, { PutRequest?: { Item?: Record<string, NativeAttributeValue> } }[]>;

/** The unprocessed put requests of a BatchWriteItem answer (document client: items already native), for one table. */
export function unprocessedPuts(unprocessed: UnprocessedWrites | undefined, table: string): PutRequests {
  return (unprocessed?.[table] ?? []).flatMap((request) =>
    request.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: request.PutRequest.Item } }],
  );
}
