/**
 * What one seed means: the fault family (round-robin on the seed, so any
 * run of consecutive seeds covers every family), the destination
 * (round-robin per four seeds), then from a PRNG seeded with it the fault
 * point, rate, pipeline, fusing and recovery.
 * `FAULT_SEED=<seed> FAULT_SCENARIOS=1` replays exactly one scenario's plan.
 */
import { SeededRandom } from './seeded-random.ts';

export const FAMILIES = ['worker-crash', 's3-faults', 'dynamodb-throttling', 'task-timeout'] as const;
export type Family = (typeof FAMILIES)[number];

export const PIPELINES = ['strikes', 'zipcodes', 'flights-by-origin', 'strikes-by-year'] as const;
export type PipelineName = (typeof PIPELINES)[number];

export const DESTINATIONS = ['s3-parquet', 'postgres', 'mariadb'] as const;
export type Destination = (typeof DESTINATIONS)[number];

/**
 * Where a chunk worker dies: before its first write, before its n-th S3 write (between a fused
 * chain's steps, inside a shuffle), after its writes but before it returns, or mid-commit.
 */
export type CrashPoint = 'before-write' | 'mid-write' | 'after-write' | 'inside-commit';
/** Which Task outlives its TimeoutSeconds. */
export type TimeoutPoint = 'chunk' | 'commit';

export type FaultPlan =
  | {
      readonly family: 'worker-crash';
      readonly point: CrashPoint;
      /** The chunk Tasks that die (n-th to start), or for `inside-commit`, per commit attempt the write it dies at. */
      readonly ordinals: readonly number[];
      /** For `mid-write`: the S3 write the chunk Task dies before. */
      readonly writeOrdinal: number;
    }
  | { readonly family: 's3-faults'; readonly rate: number; readonly dropShare: number }
  | { readonly family: 'dynamodb-throttling'; readonly rate: number }
  | { readonly family: 'task-timeout'; readonly point: TimeoutPoint; readonly ordinal: number };

export interface Scenario {
  readonly seed: number;
  readonly fault: FaultPlan;
  readonly pipeline: PipelineName;
  readonly destination: Destination;
  /** `execution.fuse`: one Task per chunk for the stage's nodes, or one per node. */
  readonly fuse: boolean;
  /** How a failed run is completed: redrive (same run) or a rerun of its failed chunks (S3 loaders only). */
  readonly recovery: 'redrive' | 'rerun';
}

export const DEFAULT_BASE_SEED = 20261126;

function faultPlan(family: Family, random: SeededRandom): FaultPlan {
  switch (family) {
    case 'worker-crash': {
      const point = random.pick<CrashPoint>(['before-write', 'mid-write', 'after-write', 'inside-commit']);
      // The n-th chunk task (or, inside a commit, the n-th write of the commit) dies; a second kill half the time.
      const first = random.int(1, 4);
      const ordinals = random.chance(0.5) ? [first, first + random.int(1, 4)] : [first];
      return { family, point, ordinals, writeOrdinal: random.int(1, 6) };
    }
    case 's3-faults':
      return { family, rate: random.pick([0.05, 0.1, 0.2, 0.3]), dropShare: random.pick([0, 0.5, 1]) };
    case 'dynamodb-throttling':
      return { family, rate: random.pick([0.05, 0.1, 0.2, 0.3]) };
    case 'task-timeout':
      return {
        family,
        point: random.pick<TimeoutPoint>(['chunk', 'chunk', 'commit']),
        ordinal: random.int(1, 3),
      };
  }
}

export function scenarioOf(seed: number): Scenario {
  const random = new SeededRandom(seed);
  const family = FAMILIES[seed % FAMILIES.length] ?? 'worker-crash';
  const fault = faultPlan(family, random);
  // Round-robin too: twelve consecutive seeds cover every family on every destination.
  const destination = DESTINATIONS[Math.floor(seed / FAMILIES.length) % DESTINATIONS.length] ?? 's3-parquet';
  return {
    seed,
    fault,
    pipeline: random.pick(PIPELINES),
    destination,
    fuse: random.chance(0.6),
    recovery: destination === 's3-parquet' && random.chance(0.5) ? 'rerun' : 'redrive',
  };
}

export function describeScenario(scenario: Scenario): string {
  const { fault } = scenario;
  const detail =
    fault.family === 'worker-crash'
      ? `${fault.point} #${fault.ordinals.join(',')}${fault.point === 'mid-write' ? ` at write ${fault.writeOrdinal}` : ''}`
      : fault.family === 's3-faults'
        ? `rate ${fault.rate}, ${Math.round(fault.dropShare * 100)}% drops`
        : fault.family === 'dynamodb-throttling'
          ? `rate ${fault.rate}`
          : `${fault.point} #${fault.ordinal}`;
  return `seed ${scenario.seed}: ${fault.family} (${detail}) on ${scenario.pipeline} -> ${scenario.destination}, ${scenario.fuse ? 'fused' : 'unfused'}, ${scenario.recovery}`;
}
