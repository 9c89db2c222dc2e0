/**
 * The API Lambda: the Hono router behind API Gateway (`hono/aws-lambda`),
 * wrapped with middy and Powertools (request ids in logs, EMF metrics).
 * The router and its clients are built once per container.
 */
import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { createApi } from './app.ts';
import { cloudApiDeps } from './cloud-deps.ts';

const observability = createObservability('etl-api');

type LambdaHandle = ReturnType<typeof handle>;
let routed: Promise<LambdaHandle> | undefined;

async function build(): Promise<LambdaHandle> {
  const { logger } = observability;
  const deps = await cloudApiDeps({
    info: (message, extra) => logger.info(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  });
  return handle(createApi(deps));
}

export const handler = withObservability(observability, async (event: unknown, context: Context) => {
  routed ??= build().catch((error: unknown) => {
    // A failed cold start is retried by the next invocation, not cached.
    routed = undefined;
    throw error;
  });
  const route = await routed;
  return route(event as Parameters<LambdaHandle>[0], context);
});
