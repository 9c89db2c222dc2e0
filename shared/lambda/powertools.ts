/** Powertools Logger and Metrics, one pair per function, attached with middy. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export const METRICS_NAMESPACE = 'EtlPlatform';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Module-scoped, as on Lambda, where one container serves one invocation at a
 * time. The local runtime runs a function's invocations concurrently in one
 * process, so there keys and metrics of parallel chunks can mix; it silences
 * both by default (POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED).
 */
export function createObservability(serviceName: string): Observability {
  const logger = new Logger({ serviceName });
  // Metrics' own warnings go through the Logger: structured, and silenced with it.
  // One namespace per deployment (the CDK app sets it per stack), so two stacks never mix metrics.
  const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE;
  return { logger, metrics: new Metrics({ namespace, serviceName, logger }) };
}

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/** Wraps a handler with structured logging (request ids) and EMF metrics flushed per invocation. */
export function withObservability<TEvent, TResult>(
  observability: Observability,
  handler: (event: TEvent, context: Context) => Promise<TResult>,
): LambdaHandler<TEvent, TResult> {
  const wrapped = middy(handler)
    .use(injectLambdaContext(observability.logger, { resetKeys: true }))
    .use(logMetrics(observability.metrics));
  return (event, context) => wrapped(event, context);
}
