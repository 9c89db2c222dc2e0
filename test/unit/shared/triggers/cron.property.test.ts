/**
 * The conversion is exact: for generated 5-field expressions, the next 20
 * fire times cron-parser computes from the Unix expression equal those our
 * AWS evaluator computes from the converted expression, in UTC.
 */

import { CronExpressionParser } from 'cron-parser';
import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAwsCronTimes } from '../../../../shared/triggers/aws-cron.ts';
import { toAwsCron } from '../../../../shared/triggers/cron.ts';
import { CronConversionError } from '../../../../shared/triggers/errors.ts';
import { explicitUnixCron } from '../../../../shared/triggers/unix-cron.ts';

const FIRES = 20;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldShape {
  readonly min: number;
  readonly max: number;
  /** Names by value, when the field has them. */
  readonly name?: (value: number) => string;
}

/** A value, written as a number or (when the field has names) sometimes as a name. */
function token(shape: FieldShape, value: number): fc.Arbitrary<string> {
  const { name } = shape;
  return name === undefined ? fc.constant(String(value)) : fc.constantFrom(String(value), name(value));
}

/** One comma-separated item: a value, a range, or a step over `*`, a range or a start. */
function item(shape: FieldShape): fc.Arbitrary<string> {
  const { min, max } = shape;
  const value = fc.integer({ min, max });
  const range = fc
    .tuple(value, value)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)
    .chain(([a, b]) => fc.tuple(token(shape, a), token(shape, b)).map(([x, y]) => `${x}-${y}`));
  const step = fc.integer({ min: 1, max: max - min });
  return fc.oneof(
    value.chain((v) => token(shape, v)),
    range,
    step.map((s) => `*/${s}`),
    fc.tuple(range, step).map(([r, s]) => `${r}/${s}`),
    fc.tuple(value, step).map(([v, s]) => `${v}/${s}`),
  );
}

function field(shape: FieldShape): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('*') },
    {
      weight: 3,
      arbitrary: fc.array(item(shape), { minLength: 1, maxLength: 3 }).map((items) => items.join(',')),
    },
  );
}

const minute = field({ min: 0, max: 59 });
const hour = field({ min: 0, max: 23 });
// Days past 28 make rare (Feb 29) or impossible dates: cron-parser would need decades per fire.
const dayOfMonth = field({ min: 1, max: 28 });
const month = field({ min: 1, max: 12, name: (v) => MONTHS[v - 1] as string });
// SUN names 0, so a 7 stays a number (`1-SUN` would run backwards).
const dayOfWeek = field({ min: 0, max: 7, name: (v) => (v === 7 ? '7' : (DAYS[v] as string)) });

/** At most one of the day fields restricted: what AWS can express. */
const expressible = fc
  .tuple(minute, hour, month, fc.boolean(), dayOfMonth, dayOfWeek)
  .map(([mi, h, mo, byWeekday, dom, dow]) =>
    byWeekday ? `${mi} ${h} * ${mo} ${dow}` : `${mi} ${h} ${dom} ${mo} *`,
  );

/** A moment in 2020-2035, in whole seconds. */
const start = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2035, 11, 31) / 1000 })
  .map((seconds) => new Date(seconds * 1000));

/** cron-parser refuses lists that repeat a value (`1-3,2`), which cron accepts: those are left out. */
function unixFireTimes(expression: string, from: Date): string[] | undefined {
  try {
    const times = CronExpressionParser.parse(expression, { currentDate: from, tz: 'UTC' });
    return times.take(FIRES).map((time) => time.toISOString() ?? '');
  } catch (error) {
    if (/duplicate values found/.test(String(error))) return undefined;
    throw error;
  }
}

describe('toAwsCron (property)', () => {
  it('fires at the same 20 next instants as the Unix expression', () => {
    fc.assert(
      fc.property(expressible, start, (expression, from) => {
        const expected = unixFireTimes(expression, from);
        fc.pre(expected !== undefined);

        const aws = toAwsCron(expression);
        const actual = nextAwsCronTimes(aws, from, FIRES).map((time) => time.toISOString());

        expect(actual, `${expression} -> ${aws}`).toStrictEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('fires at the same instants under croner, which runs schedules locally', () => {
    fc.assert(
      fc.property(expressible, start, (expression, from) => {
        const expected = unixFireTimes(expression, from);
        fc.pre(expected !== undefined);

        // What startLocalTriggers gives croner.
        const job = new Cron(explicitUnixCron(expression), { timezone: 'UTC', mode: '5-part', paused: true });
        const actual = job.nextRuns(FIRES, from).map((time) => time.toISOString());

        expect(actual, expression).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every expression that restricts both day-of-month and day-of-week', () => {
    const bothRestricted = fc
      .tuple(minute, hour, dayOfMonth, month, dayOfWeek)
      .filter(([, , dom, , dow]) => dom !== '*' && dow !== '*')
      .map((fields) => fields.join(' '));
    fc.assert(
      fc.property(bothRestricted, (expression) => {
        expect(() => toAwsCron(expression)).toThrow(CronConversionError);
        expect(() => toAwsCron(expression)).toThrow(/both day-of-month and day-of-week are restricted/);
      }),
      { numRuns: 100 },
    );
  });
});
