/** The load's figures and verdict from the generator's output. */
import type { GeneratorOutput } from './load-generator.ts';
import type { LoadResult } from './results.ts';

/** The achieved rate must be at least this share of the target. */
export const MIN_RATE_SHARE = 0.99;

export interface LoadMeasurements {
  readonly measuredAt: string;
  readonly machineBefore: LoadResult['machineBefore'];
  readonly machineAfter: LoadResult['machineAfter'];
  readonly setup: LoadResult['setup'];
  readonly output: GeneratorOutput;
  /** Errors the API logged, including for requests still in flight when the generator stopped. */
  readonly serverErrors: number;
}

export function judgeLoad(measured: LoadMeasurements): LoadResult {
  const { result, routes } = measured.output;
  const { targetRps } = measured.setup;
  const achievedRps = Math.round((result.requests.total / result.duration) * 10) / 10;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  );
  const reasons = [
    `${achievedRps} req/s achieved of ${targetRps} targeted (at least ${Math.round(MIN_RATE_SHARE * 100)}% needed)`,
    `${result.requests.total} requests: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    `${measured.serverErrors} errors logged by the API (including requests in flight when the load stopped)`,
    `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  ];
  const pass =
    result.errors === 0 &&
    result.timeouts === 0 &&
    result.non2xx === 0 &&
    measured.serverErrors === 0 &&
    achievedRps >= targetRps * MIN_RATE_SHARE;
  return {
    measuredAt: measured.measuredAt,
    machineBefore: measured.machineBefore,
    machineAfter: measured.machineAfter,
    setup: measured.setup,
    figures: {
      requests: result.requests.total,
      achievedRps,
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverErrors: measured.serverErrors,
      statusCodes,
      routes,
    },
    verdict: { pass, reasons },
  };
}
