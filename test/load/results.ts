/** The figures the load and soak scripts measure, as written to test/load/results/*.json. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConcurrentRunsFigures } from './concurrent-runs-core.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_DIR = join(REPO_ROOT, 'test/load/results');

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages: other work on the machine shows here. */
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** The machine line of the report: CPU, Node and how busy the machine was. */
export const machineLine = (before: Machine, after: Machine) =>
  `${before.cpus} x ${before.model}, Node ${before.node}; load average (1/5/15 min) ` +
  `${before.loadAverage.join(' / ')} before, ${after.loadAverage.join(' / ')} after`;

export interface RouteCount {
  readonly route: string;
  readonly requests: number;
  readonly non2xx: number;
}

export interface LoadResult {
  readonly measuredAt: string;
  readonly machineBefore: Machine;
  readonly machineAfter: Machine;
  readonly setup: {
    readonly pipelines: number;
    readonly seededRuns: number;
    readonly targetRps: number;
    readonly seconds: number;
    readonly connections: number;
    /** Pipelines the PUTs save new versions of (the others are only read). */
    readonly writerPipelines: number;
    readonly loadGenerator: string;
  };
  readonly figures: {
    readonly requests: number;
    readonly achievedRps: number;
    readonly p50Ms: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    /** Errors the API logged (a 500 each), counted in the server process. */
    readonly serverErrors: number;
    readonly statusCodes: Readonly<Record<string, number>>;
    readonly routes: readonly RouteCount[];
  };
  readonly verdict: { readonly pass: boolean; readonly reasons: readonly string[] };
}

export interface SoakSample {
  readonly run: number;
  readonly elapsedSeconds: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly resources: Readonly<Record<string, number>>;
  readonly resourcesTotal: number;
}

export interface SoakResult {
  readonly measuredAt: string;
  readonly machineBefore: Machine;
  readonly machineAfter: Machine;
  readonly setup: {
    readonly seconds: number;
    readonly warmupRuns: number;
    readonly sampleEvery: number;
    /** Quiet time before the first and the last sample. */
    readonly settleMs: number;
    readonly pipeline: string;
    readonly input: string;
  };
  readonly figures: {
    readonly runs: number;
    readonly failedRuns: number;
    readonly mismatchedRuns: number;
    readonly rowsOutPerRun: number;
    /** The oracle: DuckDB's count of the rows the example keeps, straight from the file. */
    readonly expectedRowsOut: number;
    readonly medianRunMs: number;
    readonly first: SoakSample;
    readonly last: SoakSample;
    readonly peakRssMb: number;
    readonly rssGrowthPercent: number;
    readonly samples: readonly SoakSample[];
  };
  readonly verdict: { readonly pass: boolean; readonly reasons: readonly string[] };
}

export interface ConcurrentResult {
  readonly measuredAt: string;
  readonly machineBefore: Machine;
  readonly machineAfter: Machine;
  readonly figures: ConcurrentRunsFigures;
  readonly verdict: { readonly pass: boolean; readonly reasons: readonly string[] };
}

export type ResultName = 'load' | 'soak' | 'concurrent';
type AnyResult = LoadResult | SoakResult | ConcurrentResult;

export async function writeResult(name: 'load', result: LoadResult): Promise<string>;
export async function writeResult(name: 'soak', result: SoakResult): Promise<string>;
export async function writeResult(name: 'concurrent', result: ConcurrentResult): Promise<string>;
export async function writeResult(name: ResultName, result: AnyResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** The stored result, or undefined when that script has not run yet. */
export async function readResult<T extends AnyResult>(name: ResultName): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(join(RESULTS_DIR, `${name}.json`), 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
