/** The soak's figures and verdict from its runs and samples. */
import type { Machine, SoakResult, SoakSample } from './results.ts';

/** RSS may grow by less than this between the first sample after warm-up and the last. */
export const MAX_RSS_GROWTH_PERCENT = 10;

export interface SoakMeasurements {
  readonly measuredAt: string;
  readonly machineBefore: Machine;
  readonly machineAfter: Machine;
  readonly setup: SoakResult['setup'];
  readonly runs: number;
  readonly failedRuns: number;
  readonly mismatchedRuns: number;
  readonly rowsOutPerRun: number;
  readonly expectedRowsOut: number;
  readonly durations: readonly number[];
  readonly samples: readonly SoakSample[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Types whose count is higher in the last sample than in the first. */
function grownResources(first: SoakSample, last: SoakSample): string[] {
  return Object.entries(last.resources)
    .filter(([type, count]) => count > (first.resources[type] ?? 0))
    .map(([type, count]) => `${type} ${first.resources[type] ?? 0} -> ${count}`);
}

export function judgeSoak(measured: SoakMeasurements): SoakResult {
  const first = measured.samples[0];
  const last = measured.samples.at(-1);
  if (first === undefined || last === undefined || measured.samples.length < 2) {
    throw new Error('the soak took fewer than two samples: raise SOAK_SECONDS or lower SOAK_WARMUP_RUNS');
  }
  const rssGrowthPercent = Math.round(((last.rssMb - first.rssMb) / first.rssMb) * 1000) / 10;
  const grown = grownResources(first, last);
  const reasons = [
    `${measured.runs} runs, ${measured.failedRuns} failed, ${measured.mismatchedRuns} with counters unlike the first run's or rows out unlike the oracle's`,
    `${measured.rowsOutPerRun} rows out per run; DuckDB over the file: ${measured.expectedRowsOut}`,
    `RSS ${first.rssMb} MB (run ${first.run}) -> ${last.rssMb} MB (run ${last.run}): ${rssGrowthPercent}% (limit < ${MAX_RSS_GROWTH_PERCENT}%)`,
    `active resources ${first.resourcesTotal} -> ${last.resourcesTotal}${grown.length > 0 ? ` (grown: ${grown.join(', ')})` : ''}`,
  ];
  const pass =
    measured.failedRuns === 0 &&
    measured.mismatchedRuns === 0 &&
    measured.rowsOutPerRun > 0 &&
    measured.rowsOutPerRun === measured.expectedRowsOut &&
    rssGrowthPercent < MAX_RSS_GROWTH_PERCENT &&
    last.resourcesTotal <= first.resourcesTotal;
  return {
    measuredAt: measured.measuredAt,
    machineBefore: measured.machineBefore,
    machineAfter: measured.machineAfter,
    setup: measured.setup,
    figures: {
      runs: measured.runs,
      failedRuns: measured.failedRuns,
      mismatchedRuns: measured.mismatchedRuns,
      rowsOutPerRun: measured.rowsOutPerRun,
      expectedRowsOut: measured.expectedRowsOut,
      medianRunMs: median(measured.durations),
      first,
      last,
      peakRssMb: Math.max(...measured.samples.map((entry) => entry.rssMb)),
      rssGrowthPercent,
      samples: measured.samples,
    },
    verdict: { pass, reasons },
  };
}
