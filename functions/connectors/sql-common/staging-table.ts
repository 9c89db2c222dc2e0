/**
 * Where a run's chunks wait for the commit: one staging table per run and
 * loader node, beside the destination, each row tagged with its chunk, so a
 * retried chunk replaces exactly its own rows. The name carries the run's
 * start date: commits drop staging tables of runs that never committed once
 * they are older than Step Functions lets a run be redriven.
 */
import { createHash } from 'node:crypto';
import { InvalidEventError } from '../../../shared/errors.ts';
import type { RunContext } from '../../../shared/lambda/events.ts';

export const STAGING_PREFIX = '_etl_stg_';
/** Columns the staging table adds to the data's. */
export const CHUNK_COLUMN = '_etl_chunk';
export const ROW_COLUMN = '_etl_row';
/** The commit log: which run and node already published, so a repeated commit does nothing. */
export const COMMIT_LOG_TABLE = '_etl_load_commits';
/** Step Functions redrives executions up to 14 days old. */
export const STAGING_RETENTION_DAYS = 14;

function compactDate(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}

/** `_etl_stg_20250101_<12 hex>`: 30 characters, within PostgreSQL's 63 and MySQL's 64. */
export function stagingTableName(run: Pick<RunContext, 'runId' | 'startedAt'>, nodeId: string): string {
  const hash = createHash('sha256').update(`${run.runId}/${nodeId}`).digest('hex').slice(0, 12);
  return `${STAGING_PREFIX}${compactDate(run.startedAt)}_${hash}`;
}

/** Whether a staging table belongs to a run started more than the retention before `now`. */
export function isExpiredStagingTable(name: string, now: Date): boolean {
  const match = /^_etl_stg_(\d{4})(\d{2})(\d{2})_[0-9a-f]{12}$/.exec(name);
  if (!match) return false;
  const started = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return now.getTime() - started > (STAGING_RETENTION_DAYS + 1) * 24 * 3600 * 1000;
}

/** The loader handler stages chunk n under `.../staged/chunk-0000n/`. */
export function chunkIndexFromStagingPrefix(prefix: string): number {
  const match = /\/chunk-(\d+)\/$/.exec(prefix);
  if (!match) throw new InvalidEventError(`staging prefix ${prefix} names no chunk`);
  return Number(match[1]);
}
