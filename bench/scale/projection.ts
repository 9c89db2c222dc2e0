/**
 * Cloud figures projected from a simulated run's counts and list prices
 * (us-east-1, as published in 2026; arm64 Lambda). Assumptions are spelled
 * out so a reader can redo the arithmetic.
 */

const PRICES = {
  /** Step Functions Standard, per state transition. */
  transition: 0.025 / 1_000,
  /** Lambda arm64: per request and per GB-second. */
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334,
  /** S3 Standard: per PUT and per GET. */
  s3Put: 0.005 / 1_000,
  s3Get: 0.0004 / 1_000,
};

const ASSUMPTIONS = {
  chunkBytes: 64 * 1024 * 1024,
  lambdaGb: 1769 / 1024,
  /** Seconds per chunk per Task at 64 MB, from DuckDB's measured ~50 MB/s single-threaded on CSV. */
  secondsPerTask: 1.5,
  /** State transitions per chunk in a child execution: one per Task. */
  childTransitionsPerTask: 1,
  /** Objects written and read per chunk per Task (staging Parquet, counters are DynamoDB). */
  putsPerTask: 1,
  getsPerTask: 1,
};

export interface CloudProjection {
  readonly inputBytes: number;
  readonly chunks: number;
  readonly lambdaInvocations: number;
  readonly stateTransitions: number;
  readonly lambdaGbSeconds: number;
  readonly costUsd: number;
}

export function projectCloud(counts: { tasksPerChunk: number; parentTransitions: number }) {
  const sizes = { '1 GB': 1024 ** 3, '100 GB': 100 * 1024 ** 3, '1 TB': 1024 ** 4 };
  const projections: Record<string, CloudProjection> = {};
  for (const [label, inputBytes] of Object.entries(sizes)) {
    const chunks = Math.ceil(inputBytes / ASSUMPTIONS.chunkBytes);
    const lambdaInvocations = chunks * counts.tasksPerChunk + counts.parentTransitions;
    const stateTransitions =
      chunks * counts.tasksPerChunk * ASSUMPTIONS.childTransitionsPerTask + counts.parentTransitions;
    const lambdaGbSeconds = chunks * counts.tasksPerChunk * ASSUMPTIONS.secondsPerTask * ASSUMPTIONS.lambdaGb;
    const s3 =
      chunks *
      counts.tasksPerChunk *
      (ASSUMPTIONS.putsPerTask * PRICES.s3Put + ASSUMPTIONS.getsPerTask * PRICES.s3Get);
    const costUsd =
      stateTransitions * PRICES.transition +
      lambdaInvocations * PRICES.lambdaRequest +
      lambdaGbSeconds * PRICES.lambdaGbSecond +
      s3;
    projections[label] = {
      inputBytes,
      chunks,
      lambdaInvocations,
      stateTransitions,
      lambdaGbSeconds: Math.round(lambdaGbSeconds),
      costUsd: Number(costUsd.toFixed(4)),
    };
  }
  return { assumptions: ASSUMPTIONS, prices: PRICES, projections };
}
