/**
 * The unprocessed-items loop of BatchWriteItem. dynalite never throttles, so
 * the integration suite cannot make DynamoDB return unprocessed items; here a
 * sender answers scripted leftovers, the way DynamoDB does under throttling.
 */
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  type PutRequests,
  unprocessedPuts,
  writeBatchWithRetries,
} from '../../../../../functions/connectors/dynamodb/write-batch.ts';

const requests = (ids: number[]): PutRequests => ids.map((id) => ({ PutRequest: { Item: { id } } }));

/** A sender that leaves the given number of items unprocessed on each call, then writes the rest. */
function throttled(leftovers: number[]) {
  const calls: number[][] = [];
  const send = async (batch: PutRequests) => {
    calls.push(batch.map((request) => request.PutRequest.Item.id as number));
    const left = leftovers.shift() ?? 0;
    return batch.slice(batch.length - left);
  };
  return { send, calls };
}

describe('writeBatchWithRetries', () => {
  it('re-sends exactly the unprocessed items, backing off between attempts', async () => {
    const { send, calls } = throttled([3, 1]);
    const sleeps: number[] = [];

    const attempts = await writeBatchWithRetries(send, requests([1, 2, 3, 4, 5]), {
      table: 't',
      maxAttempts: 5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    });

    expect(attempts).toBe(3);
    expect(calls).toStrictEqual([[1, 2, 3, 4, 5], [3, 4, 5], [5]]);
    expect(sleeps).toStrictEqual([100, 200]);
  });

  it('fails as transient, naming the table and what is left, when items stay unprocessed', async () => {
    const { send } = throttled([2, 2, 2]);

    const failure = writeBatchWithRetries(send, requests([1, 2]), {
      table: 'orders',
      maxAttempts: 3,
      sleep: async () => undefined,
    });

    await expect(failure).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringMatching(
        /table orders: 2 items still unprocessed after 3 BatchWriteItem attempts/,
      ),
    });
  });
});

describe('backoffMs', () => {
  it('doubles per attempt with full jitter and stops at the cap', () => {
    expect(backoffMs(1, () => 1)).toBe(100);
    expect(backoffMs(3, () => 0.5)).toBe(200);
    expect(backoffMs(30, () => 1)).toBe(5000);
    expect(backoffMs(3, () => 0)).toBe(0);
  });
});

describe('unprocessedPuts', () => {
  it("takes the table's put requests from a BatchWriteItem answer", () => {
    expect(unprocessedPuts({ t: [{ PutRequest: { Item: { id: 1 } } }, {}], other: [] }, 't')).toStrictEqual(
      requests([1]),
    );
    expect(unprocessedPuts(undefined, 't')).toStrictEqual([]);
  });
});
