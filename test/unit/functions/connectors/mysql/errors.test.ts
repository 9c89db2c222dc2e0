import { describe, expect, it } from 'vitest';
import { classifyMysqlError, mysqlErrorKind } from '../../../../../functions/connectors/mysql/errors.ts';
import { ConfigError, TransientError } from '../../../../../shared/errors.ts';

describe('mysqlErrorKind', () => {
  it.each([
    [1213, undefined, 'transient', 'deadlock'],
    [1205, undefined, 'transient', 'lock wait timeout'],
    [2013, undefined, 'transient', 'lost connection'],
    [undefined, 'PROTOCOL_CONNECTION_LOST', 'transient', 'connection closed'],
    [undefined, 'ECONNREFUSED', 'transient', 'server down'],
    [1045, 'ER_ACCESS_DENIED_ERROR', 'config', 'bad password'],
    [1064, 'ER_PARSE_ERROR', 'config', 'syntax error'],
    [1146, 'ER_NO_SUCH_TABLE', 'not-found', 'no such table'],
    [1062, 'ER_DUP_ENTRY', 'data', 'duplicate key'],
    [4025, 'ER_CONSTRAINT_FAILED', 'data', 'check constraint'],
  ])('%s %s is %s (%s)', (errno, code, kind, _why) => {
    expect(mysqlErrorKind(errno, code)).toBe(kind);
  });
});

describe('classifyMysqlError', () => {
  it('types the error, names the code and redacts the secret', () => {
    const error = Object.assign(new Error("Access denied for user 'u'@'h' (password hunter22-x)"), {
      errno: 1045,
      code: 'ER_ACCESS_DENIED_ERROR',
    });

    const classified = classifyMysqlError(error, 'connecting', 'hunter22-x');

    expect(classified).toBeInstanceOf(ConfigError);
    expect(classified.message).toBe(
      "connecting: Access denied for user 'u'@'h' (password ***) (ER_ACCESS_DENIED_ERROR, 1045)",
    );
  });

  it('is a TransientError, which the state machine retries, for a deadlock', () => {
    const error = Object.assign(new Error('Deadlock found'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });

    expect(classifyMysqlError(error, 'staging', undefined)).toBeInstanceOf(TransientError);
  });
});
