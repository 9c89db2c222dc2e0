/** The kinds of run the concurrent-runs check starts side by side: real pipelines over real data, loading to S3 Parquet and PostgreSQL. */
import type { RunKind } from './concurrent-kind.ts';
import { weather, zipcodes } from './concurrent-kinds-data.ts';
import { birdstrikes, movies } from './concurrent-kinds-examples.ts';

/** Run i is of kind i mod 5: every kind runs alongside the others, and alongside runs of its own kind. */
export const RUN_KINDS: readonly RunKind[] = [
  birdstrikes('birdstrikes-parquet', 1),
  movies,
  weather,
  zipcodes,
  // The same pipeline with another parameter value: a parameter must never leak into a concurrent run.
  birdstrikes('birdstrikes-parquet-min-cost-10000', 10_000),
];
