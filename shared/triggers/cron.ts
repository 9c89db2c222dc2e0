/**
 * 5-field Unix cron -> EventBridge Scheduler `cron(min hour dom month dow year)`,
 * exactly: the AWS expression fires at the same instants, or the conversion
 * is refused with the field and the reason.
 *
 * Each field is parsed to its set of values and re-rendered in the plainest
 * AWS syntax (`*`, `a/n`, ranges and lists), so no Unix/AWS differences in
 * step or range semantics can leak through. The two real differences:
 * AWS numbers days of the week 1-7 from Sunday (Unix 0-7, 0 and 7 Sunday),
 * and AWS requires `?` in day-of-month or day-of-week. Unix fires when
 * EITHER restricted day field matches; AWS cannot say "or", so an
 * expression restricting both is refused.
 */
import { CronConversionError } from './errors.ts';
import { DAY_NAMES, parseUnixCron, type UnixCron } from './unix-cron.ts';

/** Days in each month in the longest case (February of a leap year). */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function sorted(values: ReadonlySet<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** `a-b` for runs of consecutive values, joined by commas. */
function rangesAndLists(values: readonly number[], label: (value: number) => string = String): string {
  const parts: string[] = [];
  let index = 0;
  while (index < values.length) {
    let end = index;
    while (end + 1 < values.length && (values[end + 1] as number) === (values[end] as number) + 1) end++;
    const [first, last] = [values[index] as number, values[end] as number];
    parts.push(first === last ? label(first) : `${label(first)}-${label(last)}`);
    index = end + 1;
  }
  return parts.join(',');
}

/**
 * Renders a field AWS reads with `, - * /`. `a/n` means "a, a+n, ... up to the
 * field's end" in AWS, so it is used only when the set is exactly that.
 */
function renderField(values: ReadonlySet<number>, min: number, max: number): string {
  const list = sorted(values);
  if (list.length === max - min + 1) return '*';
  const [first, second] = list;
  if (first !== undefined && second !== undefined && list.length > 2) {
    const step = second - first;
    const progression = list.every((value, i) => value === first + i * step);
    if (step > 1 && progression && (list[list.length - 1] as number) + step > max) return `${first}/${step}`;
  }
  return rangesAndLists(list);
}

/** AWS day-of-week takes `, - * ?` but no `/`: names make its 1-based numbering unmistakable. */
function renderDaysOfWeek(unixDays: ReadonlySet<number>): string {
  if (unixDays.size === 7) return '*';
  return rangesAndLists(sorted(unixDays), (day) => DAY_NAMES[day] as string);
}

function assertCanFire(expression: string, cron: UnixCron): void {
  if (cron.dayOfMonth.star) return;
  const earliestDay = Math.min(...cron.dayOfMonth.values);
  const fits = [...cron.month.values].some((month) => earliestDay <= (MAX_DAYS[month - 1] as number));
  if (!fits) {
    throw new CronConversionError(
      expression,
      'day-of-month',
      `day ${earliestDay} never occurs in the chosen month(s), so the schedule would never fire`,
    );
  }
}

/** The AWS day fields: exactly one of them must be `?`. */
function dayFields(expression: string, cron: UnixCron): [string, string] {
  const { dayOfMonth, dayOfWeek } = cron;
  if (!dayOfMonth.star && !dayOfWeek.star) {
    throw new CronConversionError(
      expression,
      'day-of-week',
      'both day-of-month and day-of-week are restricted; cron runs when EITHER matches, which EventBridge ' +
        'Scheduler cannot express (it needs "?" in one of them). Set one of the two to "*", or use two schedules',
    );
  }
  if (!dayOfWeek.star) return ['?', renderDaysOfWeek(dayOfWeek.values)];
  return [renderField(dayOfMonth.values, 1, 31), '?'];
}

/**
 * Converts a 5-field cron expression to an EventBridge Scheduler schedule
 * expression, or throws a CronConversionError naming the field and why.
 */
export function toAwsCron(expression: string): string {
  const cron = parseUnixCron(expression);
  assertCanFire(expression, cron);
  const [dayOfMonth, dayOfWeek] = dayFields(expression, cron);
  const fields = [
    renderField(cron.minute.values, 0, 59),
    renderField(cron.hour.values, 0, 23),
    dayOfMonth,
    renderField(cron.month.values, 1, 12),
    dayOfWeek,
    '*',
  ];
  return `cron(${fields.join(' ')})`;
}

/** The reason a cron expression cannot be scheduled, or undefined when it can (for validation). */
export function cronProblem(expression: string): string | undefined {
  try {
    toAwsCron(expression);
    return undefined;
  } catch (error) {
    if (error instanceof CronConversionError) return error.message;
    throw error;
  }
}
