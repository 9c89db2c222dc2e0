/** The oracle: the rows each pipeline must deliver, computed by DuckDB straight over the input file (once per suite). */
import { queryDirectly } from '../integration/harness.ts';
import { expectedRowsQuery } from './pipelines.ts';
import type { PipelineName } from './scenarios.ts';

const cache = new Map<PipelineName, Promise<string[]>>();

export function expectedFingerprints(name: PipelineName): Promise<string[]> {
  let rows = cache.get(name);
  if (rows === undefined) {
    rows = queryDirectly(expectedRowsQuery(name)).then((result) => result.map((row) => String(row.fp)));
    cache.set(name, rows);
  }
  return rows;
}
