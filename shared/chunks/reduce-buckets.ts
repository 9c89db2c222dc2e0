/**
 * The arithmetic of a barrier's buckets. Each upstream chunk is shuffled
 * into `hash(key) % m` buckets (m its modulus, recorded in the file keys);
 * the barrier's plan then picks a reduce modulus R and runs one reduce task
 * per bucket j of R that may hold rows. Reduce bucket j of input i reads,
 * for every modulus m input i was shuffled with:
 * - R divides m: source buckets k with k % R = j, every row of them
 *   (h % m = k implies h % R = k % R);
 * - otherwise: source buckets k with k = j mod gcd(m, R), keeping only the
 *   rows whose slot (`hash % HASH_SLOTS`, see shuffle.ts) gives `slot % R = j`,
 *   exact because R divides HASH_SLOTS.
 * With `execution.shuffle_buckets: auto` every modulus is a power of two up
 * to HASH_SLOTS, so both cases always apply; a fixed count N gives m = R = N.
 */
import { z } from 'zod';
import { InvalidEventError } from '../errors.ts';
import type { ExecutionSettings } from '../spec/schema.ts';
import { HASH_SLOTS, type ShuffleFile } from './shuffle.ts';

/** `execution.shuffle_buckets`: a fixed count, or scaled to the input. */
export type ShuffleBucketsSetting = ExecutionSettings['shuffle_buckets'];

/** The largest modulus `auto` uses, at the shuffle and at the reduce. */
export const AUTO_MAX_BUCKETS = HASH_SLOTS;

/** The smallest power of two at least `n` (1 for n <= 1). */
export function nextPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

function clampAuto(buckets: number): number {
  return Math.min(Math.max(buckets, 1), AUTO_MAX_BUCKETS);
}

/**
 * The modulus a stage of `chunkCount` chunks shuffles with in `auto` mode:
 * about one bucket per chunk, so a bucket gathers about a chunk's rows.
 */
export function autoShuffleModulus(chunkCount: number): number {
  return clampAuto(nextPowerOfTwo(chunkCount));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export interface ReduceModulusInputs {
  readonly setting: ShuffleBucketsSetting;
  /** Every modulus some input's files were shuffled with. */
  readonly moduli: readonly number[];
  /** Bytes of every shuffle file of every input. */
  readonly shuffledBytes: number;
  readonly chunkSizeBytes: number;
}

/**
 * Fixed N: N. Auto: enough buckets for each to hold about `chunkSizeBytes`
 * of shuffled Parquet, never more than the largest modulus (a bucket of it
 * is already about one chunk's rows), so a tiny input reduces in one task.
 * Then shrunk until every modulus can be read exactly (see the file comment),
 * which only files of another version's fixed count could require.
 */
export function chooseReduceModulus(inputs: ReduceModulusInputs): number {
  const { setting, moduli, shuffledBytes, chunkSizeBytes } = inputs;
  const target =
    setting === 'auto'
      ? Math.min(Math.max(1, ...moduli), clampAuto(nextPowerOfTwo(Math.ceil(shuffledBytes / chunkSizeBytes))))
      : setting;
  return moduli.reduce((modulus, m) => (readable(m, modulus) ? modulus : gcd(modulus, m)), target);
}

/** Whether a reduce of modulus `reduce` can read files of modulus `m` exactly. */
function readable(m: number, reduce: number): boolean {
  return m % reduce === 0 || HASH_SLOTS % reduce === 0;
}

/** What reduce bucket `bucket` of `reduce` reads of files shuffled with modulus `m`. */
export interface SourceBuckets {
  readonly buckets: readonly number[];
  /** Keep only rows whose slot % reduce = bucket: the source buckets also hold other buckets' rows. */
  readonly filter: boolean;
}

export function sourceBuckets(m: number, reduce: number, bucket: number): SourceBuckets {
  if (!readable(m, reduce)) {
    throw new InvalidEventError(`a reduce of ${reduce} buckets cannot read files shuffled into ${m} buckets`);
  }
  const step = gcd(m, reduce);
  const buckets: number[] = [];
  for (let source = bucket % step; source < m; source += step) buckets.push(source);
  return { buckets, filter: m % reduce !== 0 };
}

/** The reduce buckets a source bucket's rows may go to: the inverse of `sourceBuckets`. */
function reduceBucketsOf(file: Pick<ShuffleFile, 'modulus' | 'bucket'>, reduce: number): number[] {
  const step = gcd(file.modulus, reduce);
  const buckets: number[] = [];
  for (let bucket = file.bucket % step; bucket < reduce; bucket += step) buckets.push(bucket);
  return buckets;
}

/** The reduce buckets that may hold rows of any file, ascending: the tasks of the barrier's reduce. */
export function reduceBucketsHoldingRows(
  files: readonly Pick<ShuffleFile, 'modulus' | 'bucket'>[],
  reduce: number,
): number[] {
  const seen = new Set<string>();
  const buckets = new Set<number>();
  for (const file of files) {
    const source = `${file.modulus}/${file.bucket}`;
    if (seen.has(source)) continue;
    seen.add(source);
    for (const bucket of reduceBucketsOf(file, reduce)) buckets.add(bucket);
  }
  return [...buckets].sort((a, b) => a - b);
}

/** Per input, the moduli its files were shuffled with, ascending (empty: the input wrote no rows). */
export function moduliByInput(
  files: readonly Pick<ShuffleFile, 'input' | 'modulus'>[],
  inputs: number,
): number[][] {
  return Array.from({ length: inputs }, (_, input) =>
    [...new Set(files.filter((file) => file.input === input).map((file) => file.modulus))].sort(
      (a, b) => a - b,
    ),
  );
}

/** A reduce task's chunk descriptor: its bucket, the reduce modulus, and what each input was shuffled with. */
export const ReduceBucketSchema = z.object({
  index: z.int().min(0),
  buckets: z.int().min(1),
  moduli: z.array(z.array(z.int().min(1))),
});
export type ReduceBucket = z.output<typeof ReduceBucketSchema>;

/** The descriptors of a barrier's reduce tasks over `files`, shuffled into `inputs` inputs. */
export function reduceBuckets(
  files: readonly Pick<ShuffleFile, 'input' | 'modulus' | 'bucket'>[],
  inputs: number,
  reduce: number,
): ReduceBucket[] {
  const moduli = moduliByInput(files, inputs);
  return reduceBucketsHoldingRows(files, reduce).map((index) => ({ index, buckets: reduce, moduli }));
}
