import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceNotFoundError } from '../../../../shared/errors.ts';
import {
  LambdaFunctionError,
  lambdaInvokeAdapter,
} from '../../../../shared/runtime/lambda-invoke-adapter.ts';

const CAUSE_KEYS = ['errorMessage', 'errorType', 'trace'];

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the invocation to reject');
}

function parseCause(error: Error): { errorType: string; errorMessage: string; trace: string[] } {
  const cause = JSON.parse(error.message) as Record<string, unknown>;
  expect(Object.keys(cause).sort()).toStrictEqual(CAUSE_KEYS);
  return cause as { errorType: string; errorMessage: string; trace: string[] };
}

describe('lambdaInvokeAdapter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wraps the result as the lambda:invoke integration does', async () => {
    const invoke = lambdaInvokeAdapter('filter', async () => ({ rows: 3, ok: true }), 900);

    const response = await invoke({ FunctionName: 'etl-filter', Payload: { chunk: 1 } });

    expect(response).toStrictEqual({
      StatusCode: 200,
      Payload: { rows: 3, ok: true },
      ExecutedVersion: '$LATEST',
    });
  });

  it('hands the handler a deep copy of the Payload, serialized through JSON', async () => {
    const payload = { chunk: { index: 1, keys: ['a.csv'] } };
    let received: unknown;
    const invoke = lambdaInvokeAdapter(
      'filter',
      async (event) => {
        received = event;
        (event as { chunk: { keys: string[] } }).chunk.keys.push('mutated.csv');
        return null;
      },
      900,
    );

    await invoke({ FunctionName: 'etl-filter', Payload: payload });

    expect(payload.chunk.keys).toStrictEqual(['a.csv']);
    expect(received).toStrictEqual({ chunk: { index: 1, keys: ['a.csv', 'mutated.csv'] } });
  });

  it('gives the handler null when there is no Payload or the parameters are not an object', async () => {
    const events: unknown[] = [];
    const invoke = lambdaInvokeAdapter(
      'filter',
      async (event) => {
        events.push(event);
        return undefined;
      },
      900,
    );

    await invoke({ FunctionName: 'etl-filter' });
    await invoke(['not', 'parameters']);
    await invoke(null);

    expect(events).toStrictEqual([null, null, null]);
  });

  it('copies the result through JSON: no shared references, dates as strings, undefined dropped', async () => {
    const result = { at: new Date('2024-05-01T00:00:00.000Z'), nested: { list: [1] }, gone: undefined };
    const invoke = lambdaInvokeAdapter('filter', async () => result, 900);

    const response = (await invoke({ Payload: {} })) as { Payload: { nested: { list: number[] } } };
    result.nested.list.push(2);

    expect(response.Payload).toStrictEqual({ at: '2024-05-01T00:00:00.000Z', nested: { list: [1] } });
  });

  it('returns a null Payload when the handler returns nothing', async () => {
    const invoke = lambdaInvokeAdapter('filter', async () => undefined, 900);

    expect(await invoke({ Payload: {} })).toStrictEqual({
      StatusCode: 200,
      Payload: null,
      ExecutedVersion: '$LATEST',
    });
  });

  it('fails with the thrown error name and the AWS JSON Cause as message', async () => {
    const thrown = new SourceNotFoundError('no files under s3://raw-data/in/');
    const invoke = lambdaInvokeAdapter(
      's3-csv',
      async () => {
        throw thrown;
      },
      900,
    );

    const error = await rejectionOf(invoke({ Payload: {} }));

    expect(error).toBeInstanceOf(LambdaFunctionError);
    expect(error.name).toBe('SourceNotFoundError');
    const cause = parseCause(error);
    expect(cause.errorType).toBe('SourceNotFoundError');
    expect(cause.errorMessage).toBe('no files under s3://raw-data/in/');
    expect(cause.trace).toStrictEqual(thrown.stack?.split('\n'));
    expect(cause.trace[0]).toBe('SourceNotFoundError: no files under s3://raw-data/in/');
  });

  it('fails with name Error and an empty trace when the handler throws a non-Error', async () => {
    const invoke = lambdaInvokeAdapter(
      'filter',
      async () => {
        throw 'plain string';
      },
      900,
    );

    const error = await rejectionOf(invoke({ Payload: {} }));

    expect(error.name).toBe('Error');
    expect(parseCause(error)).toStrictEqual({ errorType: 'Error', errorMessage: 'plain string', trace: [] });
  });

  it('gives the handler a context named etl-<name> whose remaining time counts down', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T00:00:00.000Z'));
    const remaining: number[] = [];
    let context: Context | undefined;
    const invoke = lambdaInvokeAdapter(
      'filter',
      async (_event, given) => {
        context = given;
        remaining.push(given.getRemainingTimeInMillis());
        vi.setSystemTime(new Date('2024-05-01T00:00:01.500Z'));
        remaining.push(given.getRemainingTimeInMillis());
        vi.setSystemTime(new Date('2024-05-01T00:00:30.000Z'));
        remaining.push(given.getRemainingTimeInMillis());
        return null;
      },
      5,
    );

    await invoke({ Payload: {} });

    expect(remaining).toStrictEqual([5000, 3500, 0]);
    expect(context?.functionName).toBe('etl-filter');
    expect(context?.invokedFunctionArn).toMatch(/:function:etl-filter$/);
    expect(context?.logGroupName).toBe('/aws/lambda/etl-filter');
    expect(() => context?.done()).toThrow('callback-style completion is not used');
  });

  it('gives each invocation its own request id', async () => {
    const ids: string[] = [];
    const invoke = lambdaInvokeAdapter(
      'filter',
      async (_event, context) => {
        ids.push(context.awsRequestId);
        return null;
      },
      900,
    );

    await invoke({ Payload: {} });
    await invoke({ Payload: {} });

    expect(new Set(ids).size).toBe(2);
  });
});
