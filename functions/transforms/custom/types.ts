/**
 * The contract of a user's `custom` function: an Arrow table of one chunk in,
 * an Arrow table out. Columns arrive as Int64 (integers), Float64 (other
 * numbers), Bool or Utf8 (everything else, dates as ISO text); the output may
 * use the same types (other types are written as text).
 */
import type { Table } from 'apache-arrow';

export interface CustomContext {
  /** The node's `options` from the pipeline JSON. */
  readonly options: Readonly<Record<string, unknown>>;
}

export type CustomFunction = (batch: Table, context: CustomContext) => Table | Promise<Table>;
