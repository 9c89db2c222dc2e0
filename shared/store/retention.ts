/**
 * How long a run's per-node and per-chunk detail is kept. The table's TTL
 * attribute (`expiresAt`, epoch seconds) removes it; the run's summary item
 * carries none, so runs stay listed after their detail is gone.
 */
import { ConfigError } from '../errors.ts';

export const RETENTION_DEFAULTS = {
  /** Days a run's node runs, chunk counters and lineage are kept. */
  runDetailDays: 90,
};

/** The deployment's override of `RETENTION_DEFAULTS.runDetailDays`. */
export const RUN_DETAIL_RETENTION_ENV = 'ETL_RUN_DETAIL_RETENTION_DAYS';

/** The table attribute DynamoDB TTL reads (infra/constructs/metadata-table.ts). */
export const TTL_ATTRIBUTE = 'expiresAt';

const SECONDS_PER_DAY = 24 * 3600;

/** Retention in days from the environment: a positive whole number, else the default. */
export function runDetailRetentionDays(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const value = env[RUN_DETAIL_RETENTION_ENV];
  if (value === undefined || value === '') return RETENTION_DEFAULTS.runDetailDays;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) {
    throw new ConfigError(
      `${RUN_DETAIL_RETENTION_ENV} must be a whole number of days (1 or more), not "${value}"`,
    );
  }
  return days;
}

/** The `expiresAt` of detail written at `now` (epoch seconds, as DynamoDB TTL wants). */
export function runDetailExpiry(retentionDays: number, now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000) + retentionDays * SECONDS_PER_DAY;
}
