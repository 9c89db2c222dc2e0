/**
 * A small evaluator of EventBridge cron expressions, in UTC: the oracle the
 * cron conversion is tested against (no maintained npm library evaluates
 * the AWS dialect). It reads the documented forms of the fields:
 * `*`, `?`, values (names JAN-DEC, SUN-SAT), `a-b`, `a/n` and lists, and
 * refuses the rest (`L`, `W`, `#`) rather than guess at them.
 */
import { AwsCronSyntaxError } from './errors.ts';

interface AwsFieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** `/` is documented for every field but day-of-week. */
  readonly steps: boolean;
  readonly question: boolean;
}

const SPECS: readonly AwsFieldSpec[] = [
  { name: 'minutes', min: 0, max: 59, steps: true, question: false },
  { name: 'hours', min: 0, max: 23, steps: true, question: false },
  { name: 'day-of-month', min: 1, max: 31, steps: true, question: true },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['', 'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    steps: true,
    question: false,
  },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: ['', 'SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    steps: false,
    question: true,
  },
  { name: 'year', min: 1970, max: 2199, steps: true, question: false },
];

/** A field's allowed values; `undefined` for `?` (any). */
type AwsField = ReadonlySet<number> | undefined;

interface AwsCron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly dayOfMonth: AwsField;
  readonly months: ReadonlySet<number>;
  /** 1 = Sunday. */
  readonly dayOfWeek: AwsField;
  readonly years: ReadonlySet<number>;
}

function fail(expression: string, spec: AwsFieldSpec, why: string): never {
  throw new AwsCronSyntaxError(`AWS cron "${expression}": ${spec.name} field: ${why}`);
}

function value(expression: string, spec: AwsFieldSpec, token: string): number {
  const named = token.length === 3 ? (spec.names?.indexOf(token.toUpperCase()) ?? -1) : -1;
  const number = named > 0 ? named : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  if (!(number >= spec.min && number <= spec.max)) {
    fail(
      expression,
      spec,
      `"${token}" is not a value in ${spec.min}-${spec.max} (or is a form not modelled here)`,
    );
  }
  return number;
}

function parseItem(expression: string, spec: AwsFieldSpec, item: string, into: Set<number>): void {
  const slash = item.split('/');
  if (slash.length === 2) {
    if (!spec.steps) fail(expression, spec, '"/" is not allowed in this field');
    const [startText = '', stepText = ''] = slash;
    const start = value(expression, spec, startText);
    const step = Number(stepText);
    if (!/^\d+$/.test(stepText) || step < 1) fail(expression, spec, `"${item}" has no valid increment`);
    for (let v = start; v <= spec.max; v += step) into.add(v);
    return;
  }
  if (item === '*') {
    for (let v = spec.min; v <= spec.max; v++) into.add(v);
    return;
  }
  const dash = item.split('-');
  if (dash.length === 2) {
    const [low, high] = [
      value(expression, spec, dash[0] as string),
      value(expression, spec, dash[1] as string),
    ];
    if (low > high) fail(expression, spec, `range "${item}" runs backwards (wrap-around is not modelled)`);
    for (let v = low; v <= high; v++) into.add(v);
    return;
  }
  into.add(value(expression, spec, item));
}

function parseField(expression: string, spec: AwsFieldSpec, text: string): AwsField {
  if (text === '?') {
    if (!spec.question) fail(expression, spec, '"?" is only allowed in day-of-month and day-of-week');
    return undefined;
  }
  const values = new Set<number>();
  for (const item of text.split(',')) parseItem(expression, spec, item, values);
  return values;
}

export function parseAwsCron(expression: string): AwsCron {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  const parts = match?.[1]?.trim().split(/\s+/) ?? [];
  if (parts.length !== 6) {
    throw new AwsCronSyntaxError(
      `AWS cron "${expression}": expected cron(minutes hours day-of-month month day-of-week year)`,
    );
  }
  const fields = SPECS.map((spec, index) => parseField(expression, spec, parts[index] as string));
  const [minutes, hours, dayOfMonth, months, dayOfWeek, years] = fields;
  if ((dayOfMonth === undefined) === (dayOfWeek === undefined)) {
    throw new AwsCronSyntaxError(
      `AWS cron "${expression}": exactly one of day-of-month and day-of-week must be "?"`,
    );
  }
  return {
    minutes: minutes as ReadonlySet<number>,
    hours: hours as ReadonlySet<number>,
    dayOfMonth,
    months: months as ReadonlySet<number>,
    dayOfWeek,
    years: years as ReadonlySet<number>,
  };
}

function dayMatches(cron: AwsCron, date: Date): boolean {
  if (cron.dayOfMonth !== undefined) return cron.dayOfMonth.has(date.getUTCDate());
  return (cron.dayOfWeek as ReadonlySet<number>).has(date.getUTCDay() + 1);
}

/**
 * The next `count` instants strictly after `from` at which the expression
 * fires, evaluated in UTC. Stops early at the end of the AWS year range.
 */
export function nextAwsCronTimes(expression: string, from: Date, count: number): Date[] {
  const cron = parseAwsCron(expression);
  const times: Date[] = [];
  // Fire times are whole minutes: start at the first minute after `from`.
  let t = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
  while (times.length < count && t.getUTCFullYear() <= 2199) {
    const [y, mo, d, h] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours()];
    // Jump by the coarsest field that does not match: a year of minutes is 525,600 steps.
    if (!cron.years.has(y)) t = new Date(Date.UTC(y + 1, 0, 1));
    else if (!cron.months.has(mo + 1)) t = new Date(Date.UTC(y, mo + 1, 1));
    else if (!dayMatches(cron, t)) t = new Date(Date.UTC(y, mo, d + 1));
    else if (!cron.hours.has(h)) t = new Date(Date.UTC(y, mo, d, h + 1));
    else {
      if (cron.minutes.has(t.getUTCMinutes())) times.push(t);
      t = new Date(t.getTime() + 60_000);
    }
  }
  return times;
}
