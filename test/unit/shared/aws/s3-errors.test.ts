import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../../../shared/aws/s3-errors.ts';
import {
  SourceNotFoundError,
  StorageUnavailableError,
  TerminalError,
  TransientError,
} from '../../../../shared/errors.ts';

/** The fields the SDK puts on its service exceptions. */
function sdkError(name: string, status: number, message = `${name} happened`) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

function networkError(code: string) {
  return Object.assign(new Error(`read ${code}`), { code });
}

describe('classifyAwsError', () => {
  it.each([
    ['NoSuchKey', 404],
    ['NoSuchBucket', 404],
    ['NotFound', 404],
    ['ResourceNotFoundException', 400],
    ['UnknownError', 404],
  ])('maps %s (HTTP %d) to SourceNotFoundError', (name, status) => {
    const original = sdkError(name, status, 'The specified key does not exist.');

    const error = classifyAwsError(original, 'reading s3://raw-data/a.csv');

    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ name: 'SourceNotFoundError', kind: 'terminal' });
    expect(error.message).toBe(`reading s3://raw-data/a.csv: ${name} (The specified key does not exist.)`);
    expect(error.cause).toBe(original);
  });

  it.each([
    ['SlowDown', 503],
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['ThrottlingException', 400],
    ['ProvisionedThroughputExceededException', 400],
    ['SomethingNew', 502],
    ['TooManyRequests', 429],
    ['TimeoutError', 0],
  ])('maps %s (HTTP %d) to a transient StorageUnavailableError', (name, status) => {
    const original = sdkError(name, status);

    const error = classifyAwsError(original, 'writing chunk');

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ name: 'StorageUnavailableError', kind: 'transient' });
    expect(error.message).toBe(`writing chunk: ${name} (${name} happened)`);
    expect(error.cause).toBe(original);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'])(
    'maps a dropped connection (%s) to a transient error',
    (code) => {
      const error = classifyAwsError(networkError(code), 'listing objects');

      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ kind: 'transient' });
    },
  );

  it('maps an error the SDK marked retryable to a transient error', () => {
    const original = Object.assign(sdkError('WeirdError', 400), { $retryable: { throttling: false } });

    expect(classifyAwsError(original, 'x')).toBeInstanceOf(StorageUnavailableError);
  });

  it.each([
    ['AccessDenied', 403],
    ['InvalidAccessKeyId', 403],
    ['ValidationException', 400],
  ])('maps %s (HTTP %d) to a terminal error that is not a missing source', (name, status) => {
    const error = classifyAwsError(sdkError(name, status, 'Access Denied'), 'reading s3://locked/a.csv');

    expect(error).toBeInstanceOf(TerminalError);
    expect(error).not.toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ name: 'TerminalError', kind: 'terminal' });
    expect(error.message).toBe(`reading s3://locked/a.csv: ${name} (Access Denied)`);
  });

  it('keeps the text of a thrown string', () => {
    const error = classifyAwsError('boom', 'reading');

    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toBe('reading: Error (boom)');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
  ])('maps %s to a terminal error named Error', (_label, thrown) => {
    const error = classifyAwsError(thrown, 'reading');

    expect(error).toBeInstanceOf(TerminalError);
    expect(error.message).toBe('reading: Error');
    expect(error.cause).toBe(thrown);
  });
});
