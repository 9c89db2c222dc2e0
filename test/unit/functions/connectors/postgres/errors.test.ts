import { describe, expect, it } from 'vitest';
import {
  classifyPostgresError,
  postgresErrorKind,
} from '../../../../../functions/connectors/postgres/errors.ts';
import { ConfigError, DataError, SourceNotFoundError, TransientError } from '../../../../../shared/errors.ts';

describe('postgresErrorKind', () => {
  it.each([
    ['40001', 'transient', 'serialization failure'],
    ['40P01', 'transient', 'deadlock'],
    ['08006', 'transient', 'connection failure'],
    ['53300', 'transient', 'too many connections'],
    ['57P01', 'transient', 'admin shutdown'],
    ['28P01', 'config', 'bad password'],
    ['3D000', 'config', 'no such database'],
    ['42601', 'config', 'syntax error'],
    ['42P01', 'not-found', 'no such table'],
    ['22P02', 'data', 'invalid text representation'],
    ['23505', 'data', 'unique violation'],
    ['ECONNREFUSED', 'transient', 'server down'],
    ['ENOTFOUND', 'config', 'host name typo'],
  ])('%s is %s (%s)', (code, kind) => {
    expect(postgresErrorKind(code, 'message')).toBe(kind);
  });

  it('retries the connection losses node-postgres reports without a code', () => {
    expect(postgresErrorKind(undefined, 'Connection terminated unexpectedly')).toBe('transient');
    expect(postgresErrorKind(undefined, 'something else')).toBe('data');
  });
});

describe('classifyPostgresError', () => {
  it('types the error and names what failed, with the SQLSTATE', () => {
    const error = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });

    const classified = classifyPostgresError(error, 'reading', undefined);

    expect(classified).toBeInstanceOf(SourceNotFoundError);
    expect(classified.message).toBe('reading: relation "x" does not exist (SQLSTATE 42P01)');
  });

  it('returns the platform error types the translator retries on', () => {
    expect(
      classifyPostgresError(Object.assign(new Error('x'), { code: '40P01' }), 'w', undefined),
    ).toBeInstanceOf(TransientError);
    expect(
      classifyPostgresError(Object.assign(new Error('x'), { code: '42601' }), 'w', undefined),
    ).toBeInstanceOf(ConfigError);
    expect(
      classifyPostgresError(Object.assign(new Error('x'), { code: '23505' }), 'w', undefined),
    ).toBeInstanceOf(DataError);
  });

  it('redacts the secret from the message and attaches no driver error', () => {
    const classified = classifyPostgresError(new Error('bad value hunter22-secret'), 'w', 'hunter22-secret');

    expect(classified.message).toBe('w: bad value ***');
    expect(classified.cause).toBeUndefined();
  });
});
