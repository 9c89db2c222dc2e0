/** A table of sample rows, as the console shows a preview or a node's output. */
import type { Json } from '@duckdb/node-api';

export interface PreviewColumn {
  readonly name: string;
  /** DuckDB's type name, e.g. `BIGINT`, `DECIMAL(18,2)`, `TIMESTAMP WITH TIME ZONE`. */
  readonly type: string;
}

export interface PreviewResult {
  readonly columns: readonly PreviewColumn[];
  /** Values as JSON: big integers, decimals and temporal values as strings, so nothing is rounded. */
  readonly rows: readonly Readonly<Record<string, Json>>[];
}
