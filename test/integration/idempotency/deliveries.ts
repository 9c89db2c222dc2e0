/**
 * Duplicate delivery, as at-least-once infrastructure does it: the same
 * event handed to a handler again after it answered, and several copies at
 * once. Handlers run through the lambda:invoke adapter, so each copy has its
 * own Lambda context and errors surface as the Task would see them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { type GuardedEffect, idempotencyPartition } from '../../../shared/idempotency/effects.ts';
import type { OutboxEntry } from '../../../shared/notifications/outbox.ts';
import type { InProcessHandler } from '../../../shared/runtime/function-handlers.ts';
import { type Json, lambdaInvokeAdapter } from '../../../shared/runtime/lambda-invoke-adapter.ts';
import type { TestEnvironment } from '../harness.ts';

export interface Delivery {
  readonly payload?: Json;
  /** The Task error's name (e.g. `TransientError`) when the copy failed. */
  readonly errorName?: string;
  readonly errorMessage?: string;
}

export function invoker(name: string, handler: InProcessHandler): (payload: unknown) => Promise<Delivery> {
  const invoke = lambdaInvokeAdapter(name, handler, 60);
  return async (payload) => {
    try {
      const answer = await invoke(
        JSON.parse(JSON.stringify({ FunctionName: name, Payload: payload })) as Json,
      );
      const result =
        typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer.Payload : null;
      return { payload: result ?? null };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return { errorName: failure.name, errorMessage: failure.message };
    }
  };
}

/** `copies` deliveries of one event at the same moment. */
export function deliverConcurrently(
  deliver: (payload: unknown) => Promise<Delivery>,
  payload: unknown,
  copies: number,
): Promise<Delivery[]> {
  return Promise.all(Array.from({ length: copies }, () => deliver(payload)));
}

export async function outboxEntries(env: TestEnvironment): Promise<OutboxEntry[]> {
  const text = await readFile(join(env.services.dataDir, 'outbox.jsonl'), 'utf8').catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutboxEntry);
}

export interface IdempotencyRecordItem {
  readonly pk: string;
  readonly sk: string;
  readonly status: string;
  readonly expiresAt: number;
}

/** The Powertools records of one effect, as stored in the metadata table. */
export async function idempotencyRecords(
  env: TestEnvironment,
  organization: string,
  effect: GuardedEffect,
): Promise<IdempotencyRecordItem[]> {
  const answer = await createDynamoDbClient(env.services.env).send(
    new QueryCommand({
      TableName: env.services.env.metadataTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': idempotencyPartition(organization, effect) },
      ConsistentRead: true,
    }),
  );
  return (answer.Items ?? []).map((item) => ({
    pk: String(item.pk),
    sk: String(item.sk),
    status: String(item.status),
    expiresAt: Number(item.expiresAt),
  }));
}
