import { describe, expect, it } from 'vitest';
import { nextAwsCronTimes, parseAwsCron } from '../../../../shared/triggers/aws-cron.ts';
import { AwsCronSyntaxError } from '../../../../shared/triggers/errors.ts';

/** Times as ISO strings, for readable failures. */
function next(expression: string, from: string, count: number): string[] {
  return nextAwsCronTimes(expression, new Date(from), count).map((time) => time.toISOString());
}

// Examples from the EventBridge "Cron expressions reference"; 2026-11-27 is a Friday.
describe('nextAwsCronTimes', () => {
  it('runs at 10:00 every day: cron(0 10 * * ? *)', () => {
    expect(next('cron(0 10 * * ? *)', '2026-11-27T10:00:00Z', 2)).toStrictEqual([
      '2026-11-28T10:00:00.000Z',
      '2026-11-29T10:00:00.000Z',
    ]);
  });

  it('runs at 12:15 every day: cron(15 12 * * ? *)', () => {
    expect(next('cron(15 12 * * ? *)', '2026-11-27T12:14:59Z', 2)).toStrictEqual([
      '2026-11-27T12:15:00.000Z',
      '2026-11-28T12:15:00.000Z',
    ]);
  });

  it('runs at 18:00 Monday to Friday, SUN being 1: cron(0 18 ? * MON-FRI *)', () => {
    expect(next('cron(0 18 ? * MON-FRI *)', '2026-11-27T17:58:00Z', 3)).toStrictEqual([
      '2026-11-27T18:00:00.000Z',
      '2026-11-30T18:00:00.000Z',
      '2026-12-01T18:00:00.000Z',
    ]);
    expect(next('cron(0 18 ? * 2-6 *)', '2026-11-27T17:58:00Z', 3)).toStrictEqual(
      next('cron(0 18 ? * MON-FRI *)', '2026-11-27T17:58:00Z', 3),
    );
  });

  it('runs at 8:00 on the first of every month: cron(0 8 1 * ? *)', () => {
    expect(next('cron(0 8 1 * ? *)', '2026-11-27T00:00:00Z', 2)).toStrictEqual([
      '2026-12-01T08:00:00.000Z',
      '2027-01-01T08:00:00.000Z',
    ]);
  });

  it('runs every 15 minutes: cron(0/15 * * * ? *)', () => {
    expect(next('cron(0/15 * * * ? *)', '2026-11-27T23:31:00Z', 3)).toStrictEqual([
      '2026-11-27T23:45:00.000Z',
      '2026-11-28T00:00:00.000Z',
      '2026-11-28T00:15:00.000Z',
    ]);
  });

  it('reads 1/10 in minutes as the 1st, 11th, 21st ... minute', () => {
    expect(next('cron(1/10 * * * ? *)', '2026-11-27T00:00:00Z', 3)).toStrictEqual([
      '2026-11-27T00:01:00.000Z',
      '2026-11-27T00:11:00.000Z',
      '2026-11-27T00:21:00.000Z',
    ]);
  });

  it('runs every 5 minutes between 8:00 and 17:55 Monday to Friday: cron(0/5 8-17 ? * MON-FRI *)', () => {
    expect(next('cron(0/5 8-17 ? * MON-FRI *)', '2026-11-27T17:50:00Z', 3)).toStrictEqual([
      '2026-11-27T17:55:00.000Z',
      '2026-11-30T08:00:00.000Z',
      '2026-11-30T08:05:00.000Z',
    ]);
  });

  it('honours month lists and the year field', () => {
    expect(next('cron(30 6 29 FEB,3 ? 2028)', '2026-01-01T00:00:00Z', 3)).toStrictEqual([
      '2028-02-29T06:30:00.000Z',
      '2028-03-29T06:30:00.000Z',
    ]);
  });
});

describe('parseAwsCron', () => {
  it.each([
    ['cron(0 10 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 * *)', 'expected cron(minutes hours'],
    ['cron(0 10 ? * 1/2 *)', 'day-of-week field: "/" is not allowed'],
    ['cron(0 10 L * ? *)', 'day-of-month field: "L" is not a value'],
    ['cron(0 10 ? * 2#1 *)', 'day-of-week field: "2#1" is not a value'],
    ['cron(0 24 * * ? *)', 'hours field: "24" is not a value in 0-23'],
    ['cron(? 1 * * ? *)', 'minutes field: "?" is only allowed'],
  ])('fails when given %s', (expression, message) => {
    expect(() => parseAwsCron(expression)).toThrow(AwsCronSyntaxError);
    expect(() => parseAwsCron(expression)).toThrow(message);
  });
});
