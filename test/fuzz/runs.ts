/**
 * How many cases a fuzz test runs: a fast default in the normal suite, the
 * issue's full counts under `npm run test:fuzz`, which sets the variables.
 */
export function fuzzRuns(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`${variable} must be a positive integer, got "${raw}"`);
  return runs;
}

/** A fixed seed reproduces a failing run (fast-check prints the seed it used). */
export function fuzzSeed(): number | undefined {
  const raw = process.env.FUZZ_SEED;
  return raw === undefined || raw === '' ? undefined : Number(raw);
}
