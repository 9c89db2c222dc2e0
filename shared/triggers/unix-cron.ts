/**
 * Parses a 5-field Unix cron expression (minute hour day-of-month month
 * day-of-week) into the set of values each field allows, the way cron and
 * the cron-parser library read it: lists, ranges, steps (`*\/n`, `a-b/n`,
 * `a/n` = from a to the field's end), names (JAN-DEC, SUN-SAT, any case),
 * day-of-week 0-7 with both 0 and 7 meaning Sunday.
 */
import { CronConversionError, type CronFieldName } from './errors.ts';

interface FieldSpec {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  // Names map to their position: JAN = 1.
  { name: 'month', min: 1, max: 12, names: ['', ...MONTH_NAMES] },
  // 7 is Sunday again; it is folded to 0 after parsing.
  { name: 'day-of-week', min: 0, max: 7, names: [...DAY_NAMES, 'SUN'] },
];

/** A parsed field: the values it allows, and whether it was written as a bare `*`. */
export interface UnixCronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

export interface UnixCron {
  readonly minute: UnixCronField;
  readonly hour: UnixCronField;
  readonly dayOfMonth: UnixCronField;
  readonly month: UnixCronField;
  /** Sunday is 0 (a 7 in the input is folded to 0). */
  readonly dayOfWeek: UnixCronField;
}

/** Characters of other cron dialects, each with what to write instead. */
const FOREIGN_SYNTAX: readonly [RegExp, string][] = [
  [/\?/, '"?" is AWS syntax; in a 5-field cron write "*"'],
  [/L/i, '"L" (last day) is not standard 5-field cron and cannot be converted'],
  [/W/i, '"W" (nearest weekday) is not standard 5-field cron and cannot be converted'],
  [/#/, '"#" (nth weekday of the month) is not standard 5-field cron and cannot be converted'],
  [/H/i, '"H" (hashed value) is not standard 5-field cron and cannot be converted'],
];

function parseValue(expression: string, spec: FieldSpec, token: string): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max) {
      throw new CronConversionError(
        expression,
        spec.name,
        `${value} is out of range ${spec.min}-${spec.max}`,
      );
    }
    return value;
  }
  const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  // Names are three letters; the empty placeholder at month 0 must not match.
  if (index < 0 || token.length !== 3) {
    const foreign = /^[A-Z]{3}$/i.test(token)
      ? undefined
      : FOREIGN_SYNTAX.find(([pattern]) => pattern.test(token));
    if (foreign) throw new CronConversionError(expression, spec.name, foreign[1]);
    const known = spec.names
      ? ` (a number or one of ${[...new Set(spec.names.filter(Boolean))].join(', ')})`
      : '';
    throw new CronConversionError(expression, spec.name, `"${token}" is not a valid value${known}`);
  }
  return index;
}

function parseStep(expression: string, spec: FieldSpec, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new CronConversionError(
      expression,
      spec.name,
      `step "/${text}" must be a whole number of at least 1`,
    );
  }
  const step = Number(text);
  if (step > spec.max - spec.min) {
    throw new CronConversionError(
      expression,
      spec.name,
      `step /${step} is larger than the field's range ${spec.min}-${spec.max}, so it would only ever match its start`,
    );
  }
  return step;
}

function parseItem(expression: string, spec: FieldSpec, item: string, into: Set<number>): void {
  const [rangeText = '', stepText, extra] = item.split('/');
  if (extra !== undefined || rangeText === '') {
    throw new CronConversionError(expression, spec.name, `"${item}" is not a value, range or step`);
  }
  const step = stepText === undefined ? 1 : parseStep(expression, spec, stepText);
  let start: number;
  let end: number;
  if (rangeText === '*') {
    [start, end] = [spec.min, spec.max];
  } else if (rangeText.includes('-')) {
    const [low = '', high = '', more] = rangeText.split('-');
    if (more !== undefined) throw new CronConversionError(expression, spec.name, `"${item}" is not a range`);
    [start, end] = [parseValue(expression, spec, low), parseValue(expression, spec, high)];
    if (start > end) {
      throw new CronConversionError(
        expression,
        spec.name,
        `range "${rangeText}" runs backwards; write it as two ranges joined by a comma`,
      );
    }
  } else {
    start = parseValue(expression, spec, rangeText);
    // `a/n` means from a to the end of the field, as cron-parser and Quartz read it.
    end = stepText === undefined ? start : spec.max;
  }
  for (let value = start; value <= end; value += step) into.add(value);
}

function parseField(expression: string, spec: FieldSpec, text: string): UnixCronField {
  const values = new Set<number>();
  for (const item of text.split(',')) parseItem(expression, spec, item, values);
  return { values, star: text === '*' };
}

/** Parses the expression or throws a CronConversionError naming the field and the problem. */
export function parseUnixCron(expression: string): UnixCron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    throw new CronConversionError(
      expression,
      undefined,
      `must have 5 fields (minute hour day-of-month month day-of-week), found ${parts[0] === '' ? 0 : parts.length}`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = FIELDS.map((spec, index) =>
    parseField(expression, spec, parts[index] as string),
  ) as [UnixCronField, UnixCronField, UnixCronField, UnixCronField, UnixCronField];
  const days = new Set([...dayOfWeek.values].map((day) => day % 7));
  return { minute, hour, dayOfMonth, month, dayOfWeek: { values: days, star: dayOfWeek.star } };
}

/**
 * The expression with every restricted field written as its explicit list
 * of values (Sunday as 0): cron libraries disagree on steps such as `1/1`
 * in day-of-week (1-7 or 1-6?), never on a plain list. A bare `*` stays `*`.
 */
export function explicitUnixCron(expression: string): string {
  const cron = parseUnixCron(expression);
  return [cron.minute, cron.hour, cron.dayOfMonth, cron.month, cron.dayOfWeek]
    .map((field) => (field.star ? '*' : [...field.values].sort((a, b) => a - b).join(',')))
    .join(' ');
}
