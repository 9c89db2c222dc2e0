/**
 * Runs an effect at most once per key, however often and however
 * concurrently its event is delivered, with Powertools Idempotency: the first
 * delivery writes an in-progress record, does the work and stores its
 * result; a repeat gets that stored result without doing the work again; a
 * concurrent copy gets `EffectInProgressError` (transient, so the state
 * machine's Retry asks again later and then gets the stored result). Work
 * that throws deletes the record, so a retry or a redrive does it afresh.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyItemNotFoundError,
  IdempotencyKeyError,
  IdempotencyPersistenceLayerError,
  IdempotencyUnknownError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import type { HandlerEnv } from '../aws/env.ts';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { TerminalError } from '../errors.ts';
import type { GuardedEffect } from './effects.ts';
import { EffectInProgressError, EffectKeyError } from './errors.ts';
import { idempotencyPersistence } from './persistence.ts';

export const IDEMPOTENCY_DEFAULTS = {
  /**
   * How long a completed effect is remembered: Step Functions redrives an
   * execution up to 14 days after it ended, the longest a repeat can arrive.
   */
  expiresAfterSeconds: 14 * 24 * 3600,
} as const;

export interface EffectGuard {
  /** What is guarded: one record partition and key prefix per organization and effect. */
  readonly effect: GuardedEffect;
  readonly organization: string;
  /** What identifies one occurrence within the organization, e.g. the run id. */
  readonly key: string;
  readonly env: Pick<HandlerEnv, 'metadataTable' | 'region' | 'dynamoDbEndpoint'>;
  /**
   * The invocation's Lambda context. With it, the record of an invocation
   * that dies (a Lambda timeout) lapses when its time would have run out,
   * instead of holding every retry off until the record expires.
   */
  readonly context?: Context;
}

function hasRemainingTime(context: Context | undefined): context is Context {
  return typeof context?.getRemainingTimeInMillis === 'function';
}

/**
 * The result as DynamoDB stores it and JSON carries it: the stored copy has
 * no `undefined` fields (which the marshaller refuses), so the first
 * delivery answers exactly what a repeat will.
 */
function storable<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function typed(error: unknown, guard: EffectGuard): unknown {
  if (!(error instanceof IdempotencyUnknownError)) return error;
  const what = `${guard.effect} ${guard.key} of organization ${guard.organization}`;
  // The record changed between reading and writing it (another delivery ended meanwhile): ask again.
  if (
    error instanceof IdempotencyAlreadyInProgressError ||
    error instanceof IdempotencyInconsistentStateError ||
    error instanceof IdempotencyItemNotFoundError
  )
    return new EffectInProgressError(
      `${what} is being done by another delivery of the same event; retry once it ends`,
      {
        cause: error,
      },
    );
  if (error instanceof IdempotencyKeyError || error instanceof IdempotencyValidationError)
    return new EffectKeyError(`${what}: ${error.message}`, { cause: error });
  if (error instanceof IdempotencyPersistenceLayerError)
    return classifyAwsError(error.cause, `idempotency record of ${what} in table ${guard.env.metadataTable}`);
  return new TerminalError(`idempotency guard of ${what}: ${error.message}`, { cause: error });
}

export async function runOnce<T>(guard: EffectGuard, work: () => Promise<T>): Promise<T> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_DEFAULTS.expiresAfterSeconds,
  });
  // Per call, not per process: the embedded runtime runs invocations side by side in one process.
  if (hasRemainingTime(guard.context)) config.registerLambdaContext(guard.context);
  const once = makeIdempotent(async (_occurrence: { readonly key: string }) => storable(await work()), {
    persistenceStore: idempotencyPersistence(guard.organization, guard.effect, guard.env),
    config,
    keyPrefix: guard.effect,
  });
  try {
    return await once({ key: guard.key });
  } catch (error) {
    throw typed(error, guard);
  }
}
