/**
 * Runs a handler in-process with the exact request/response shape of the
 * `arn:aws:states:::lambda:invoke` integration: the Task's Parameters carry
 * `{ FunctionName, Payload }`; the result is `{ StatusCode: 200, Payload, ... }`;
 * a thrown error surfaces as the Task error named by its `errorType`, with
 * AWS's JSON `Cause` (`{"errorType","errorMessage","trace"}`).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { InProcessHandler } from './function-handlers.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a Task state sees when the function throws. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('callback-style completion is not used by these handlers');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1769',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Serializes through JSON both ways, as the real invocation does: no shared references leak. */
function throughJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

export function lambdaInvokeAdapter(
  functionName: string,
  handler: InProcessHandler,
  timeoutSeconds: number,
): (parameters: Json) => Promise<Json> {
  return async (parameters) => {
    const payload =
      typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)
        ? parameters.Payload
        : undefined;
    let result: unknown;
    try {
      result = await handler(throughJson(payload), lambdaContext(`etl-${functionName}`, timeoutSeconds));
    } catch (error) {
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
      throw new LambdaFunctionError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
    }
    return { ExecutedVersion: '$LATEST', Payload: throughJson(result), StatusCode: 200 };
  };
}
