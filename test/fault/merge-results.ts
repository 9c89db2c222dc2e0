/**
 * Writes the fault section of test/RELIABILITY.md from the outcomes of seed
 * ranges run side by side (each `FAULT_SEED=… FAULT_SCENARIOS=… FAULT_RESULTS=<file>`),
 * when one process running every seed in turn would take too long:
 * `tsx test/fault/merge-results.ts <file>...`. Refuses gaps or overlaps in the seeds.
 */
import { readFile } from 'node:fs/promises';
import { type FaultResults, writeFaultReport } from './report.ts';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: tsx test/fault/merge-results.ts <results.json>...');
const shards = await Promise.all(
  files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as FaultResults),
);
const outcomes = shards.flatMap((shard) => shard.outcomes).sort((a, b) => a.scenario.seed - b.scenario.seed);
const first = outcomes[0]?.scenario.seed;
if (first === undefined) throw new Error(`no outcomes in ${files.join(', ')}`);
const gap = outcomes.findIndex((outcome, index) => outcome.scenario.seed !== first + index);
if (gap >= 0)
  throw new Error(
    `seeds are not consecutive from ${first}: position ${gap} holds seed ${outcomes[gap]?.scenario.seed}`,
  );
await writeFaultReport(outcomes, {
  baseSeed: first,
  suiteMs: Math.max(...shards.map((shard) => shard.suiteMs)),
  shards: shards.length,
});
console.info(
  `wrote the fault section for ${outcomes.length} scenarios (seeds ${first} to ${first + outcomes.length - 1})`,
);
