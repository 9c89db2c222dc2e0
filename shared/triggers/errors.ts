/** Errors of schedules and triggers: all terminal, since retrying the same input cannot help. */
import { ConfigError, TerminalError } from '../errors.ts';

/** Which part of a 5-field cron expression a problem is in. */
export type CronFieldName = 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

/**
 * A 5-field cron expression that is malformed, or that EventBridge Scheduler
 * cannot express exactly. The message names the field and why; it reads well
 * after the JSON pointer `/schedule/cron`.
 */
export class CronConversionError extends ConfigError {
  override readonly name = 'CronConversionError';

  constructor(
    readonly expression: string,
    readonly field: CronFieldName | undefined,
    readonly reason: string,
  ) {
    super(`cron "${expression}": ${field ? `${field} field: ` : ''}${reason}`);
  }
}

/** An AWS cron expression this project's evaluator cannot read (malformed, or a feature it does not model). */
export class AwsCronSyntaxError extends TerminalError {
  override readonly name = 'AwsCronSyntaxError';
}
