import { describe, expect, it } from 'vitest';
import { readCaughtError } from '../../../../functions/control/failure-cause.ts';

describe('readCaughtError', () => {
  it('reads the errorMessage of the JSON Cause AWS gives for Lambda errors', () => {
    const cause = JSON.stringify({
      errorType: 'SourceNotFoundError',
      errorMessage: 'no files under s3://raw-data/in/',
      trace: ['SourceNotFoundError: no files under s3://raw-data/in/', '    at listSourceFiles'],
    });

    expect(readCaughtError({ Error: 'SourceNotFoundError', Cause: cause })).toStrictEqual({
      name: 'SourceNotFoundError',
      message: 'no files under s3://raw-data/in/',
    });
  });

  it('falls back to message, then Cause, in a JSON object', () => {
    expect(readCaughtError({ Error: 'E', Cause: '{"message":"from message"}' }).message).toBe('from message');
    expect(readCaughtError({ Error: 'E', Cause: '{"Cause":"nested cause"}' }).message).toBe('nested cause');
    expect(
      readCaughtError({ Error: 'E', Cause: '{"errorMessage":"first","message":"second"}' }).message,
    ).toBe('first');
  });

  it('keeps a plain-text Cause as the message', () => {
    expect(
      readCaughtError({ Error: 'States.Timeout', Cause: 'Task timed out after 900.00 seconds' }),
    ).toStrictEqual({ name: 'States.Timeout', message: 'Task timed out after 900.00 seconds' });
  });

  it.each(['{"errorType":"E"}', '42', '"quoted"', '[1,2]', '{not json'])(
    'keeps the Cause string %s when it holds no message',
    (cause) => {
      expect(readCaughtError({ Error: 'E', Cause: cause })).toStrictEqual({ name: 'E', message: cause });
    },
  );

  it('reads the message of a Cause that is already an object', () => {
    expect(readCaughtError({ Error: 'DataError', Cause: { errorMessage: 'bad row 7' } })).toStrictEqual({
      name: 'DataError',
      message: 'bad row 7',
    });
  });

  it('serializes a Cause object without a message', () => {
    expect(readCaughtError({ Error: 'E', Cause: { code: 7 } }).message).toBe('{"code":7}');
    expect(readCaughtError({ Error: 'E', Cause: 5 }).message).toBe('5');
    expect(readCaughtError({ Error: 'E', Cause: null }).message).toBe('null');
    expect(readCaughtError({ Error: 'E', Cause: undefined }).message).toBe('null');
  });

  it('describes a failure without error details', () => {
    expect(readCaughtError(undefined)).toStrictEqual({
      name: 'Unknown',
      message: 'the run failed without error details',
    });
  });
});
