import { describe, expect, it } from 'vitest';
import { cronProblem, toAwsCron } from '../../../../shared/triggers/cron.ts';
import { CronConversionError } from '../../../../shared/triggers/errors.ts';

describe('toAwsCron', () => {
  it.each([
    ['0 3 * * *', 'cron(0 3 * * ? *)'],
    ['*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['5/20 8-17 * * *', 'cron(5/20 8-17 * * ? *)'],
    ['0 18 * * 1-5', 'cron(0 18 ? * MON-FRI *)'],
    ['0 18 * * mon-fri', 'cron(0 18 ? * MON-FRI *)'],
    ['0 0 * * 0', 'cron(0 0 ? * SUN *)'],
    ['0 0 * * 7', 'cron(0 0 ? * SUN *)'],
    ['0 0 * * 6,7', 'cron(0 0 ? * SUN,SAT *)'],
    ['0 0 * * 0-7', 'cron(0 0 ? * * *)'],
    ['0 0 * * */2', 'cron(0 0 ? * SUN,TUE,THU,SAT *)'],
    ['0 8 1 * *', 'cron(0 8 1 * ? *)'],
    ['0 8 1-31 * *', 'cron(0 8 * * ? *)'],
    ['0 0 1 1,JUL *', 'cron(0 0 1 1,7 ? *)'],
    ['0 0 1 */3 *', 'cron(0 0 1 1/3 ? *)'],
    ['0,30 9-11,14 * * *', 'cron(0,30 9-11,14 * * ? *)'],
    ['0 0 30 2,4 *', 'cron(0 0 30 2,4 ? *)'],
  ])('converts %s to %s', (unix, aws) => {
    expect(toAwsCron(unix)).toBe(aws);
  });

  it.each([
    ['0 0 1 * 1', 'day-of-week field: both day-of-month and day-of-week are restricted'],
    ['0 0 */2 * MON', 'day-of-week field: both day-of-month and day-of-week are restricted'],
    ['0 0 31 2 *', 'day-of-month field: day 31 never occurs in the chosen month(s)'],
    ['0 0 L * *', 'day-of-month field: "L" (last day) is not standard 5-field cron'],
    ['0 0 15W * *', 'day-of-month field: "W" (nearest weekday)'],
    ['0 0 * * 1#2', 'day-of-week field: "#" (nth weekday of the month)'],
    ['0 0 ? * 1', 'day-of-month field: "?" is AWS syntax'],
    ['H * * * *', 'minute field: "H" (hashed value)'],
    ['60 * * * *', 'minute field: 60 is out of range 0-59'],
    ['0 0 * * 8', 'day-of-week field: 8 is out of range 0-7'],
    ['0 0 * * FRI-MON', 'day-of-week field: range "FRI-MON" runs backwards'],
    ['*/70 * * * *', "minute field: step /70 is larger than the field's range"],
    ['*/0 * * * *', 'minute field: step "/0" must be a whole number'],
    ['0 0 * FOO *', 'month field: "FOO" is not a valid value'],
    ['0 0 * * *  *', 'must have 5 fields'],
    ['@daily', 'must have 5 fields'],
  ])('fails when given %s', (unix, message) => {
    expect(() => toAwsCron(unix)).toThrow(CronConversionError);
    expect(() => toAwsCron(unix)).toThrow(message);
  });

  it('names the field on the error for the caller to point at', () => {
    const error = (() => {
      try {
        toAwsCron('0 0 1 * 1');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(CronConversionError);
    expect((error as CronConversionError).field).toBe('day-of-week');
    expect((error as CronConversionError).kind).toBe('terminal');
  });
});

describe('cronProblem', () => {
  it('returns undefined for an expression AWS can run, and the reason otherwise', () => {
    expect(cronProblem('0 3 * * *')).toBeUndefined();
    expect(cronProblem('0 0 1 * 1')).toMatch(/^cron "0 0 1 \* 1": day-of-week field: both/);
  });
});
