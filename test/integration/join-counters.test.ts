/**
 * Join counters: a join may multiply rows, so `rows in = out + rejected +
 * filtered` cannot hold for it. Its rows_filtered counts the input rows
 * without a match that its type drops; every other node still balances.
 * A broadcast join counts exactly as a shuffle join does.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { putLocalFile, startTestEnvironment, type TestEnvironment } from './harness.ts';
import { joinStrategyOf } from './join-strategy.ts';

// Left: key 1 twice, 2 once, 3 (no match) and an empty key (NULL, never matches): 5 rows.
const ORDERS = 'key,item\n1,a\n1,b\n2,c\n3,d\n,e\n';
// Right: key 1 three times, 2 once, 4 twice (no match): 6 rows.
const CUSTOMERS = 'key,name\n1,x\n1,y\n1,z\n2,w\n4,v\n4,u\n';
const MATCHED_PAIRS = 2 * 3 + 1;
const UNMATCHED = { left: 2, right: 2 };

/** Per join type: the rows out, and the unmatched input rows it drops (rows_filtered). */
const EXPECTED = {
  inner: { rowsOut: MATCHED_PAIRS, rowsFiltered: UNMATCHED.left + UNMATCHED.right },
  left: { rowsOut: MATCHED_PAIRS + UNMATCHED.left, rowsFiltered: UNMATCHED.right },
  right: { rowsOut: MATCHED_PAIRS + UNMATCHED.right, rowsFiltered: UNMATCHED.left },
  full: { rowsOut: MATCHED_PAIRS + UNMATCHED.left + UNMATCHED.right, rowsFiltered: 0 },
} as const;

type Strategy = 'auto' | 'shuffle' | 'broadcast';

function joinPipeline(type: keyof typeof EXPECTED, fuse: boolean, strategy: Strategy = 'shuffle') {
  return PipelineSchema.parse({
    name: `join-${type}`,
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'orders/' } },
      {
        id: 'customers',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'customers/' },
      },
      {
        id: 'joined',
        type: 'transformer',
        module: 'join',
        config: { type, on: [{ left: 'key', right: 'key' }], strategy },
      },
      {
        id: 'out',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `join-${type}-${strategy}-${fuse}/` },
      },
    ],
    edges: [
      { source: 'orders', target: 'joined' },
      { source: 'customers', target: 'joined' },
      { source: 'joined', target: 'out' },
    ],
    execution: { shuffle_buckets: 4, fuse },
  });
}

describe('join counters', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    for (const [name, text] of [
      ['orders', ORDERS],
      ['customers', CUSTOMERS],
    ] as const) {
      const path = join(env.scratch, `${name}.csv`);
      await writeFile(path, text);
      await putLocalFile(env, path, 'raw', `${name}/${name}.csv`);
    }
  });
  afterAll(() => env.close());

  it.each([
    ['inner', true, 'shuffle'],
    ['left', true, 'shuffle'],
    ['right', true, 'shuffle'],
    ['full', true, 'shuffle'],
    ['inner', false, 'shuffle'],
    ['inner', true, 'broadcast'],
    ['left', true, 'broadcast'],
    ['right', true, 'auto'],
    ['left', false, 'auto'],
  ] as const)(
    'counts a %s join (fuse: %s, strategy: %s): rows out may exceed rows in, filtered = unmatched rows dropped',
    async (type, fuse, strategy) => {
      const result = await runPipelineLocally(joinPipeline(type, fuse, strategy), env.services);

      expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
      const joined = result.nodes.find((node) => node.nodeId === 'joined');
      expect(joined).toMatchObject({ rowsIn: 5 + 6, rowsRejected: 0, ...EXPECTED[type] });
      expect(joined?.rowsFiltered).toBeGreaterThanOrEqual(0);
      expect(joined?.rowsFiltered).toBeLessThanOrEqual(joined?.rowsIn ?? 0);
      // The balance the platform checks still holds for every node but the join.
      for (const node of result.nodes.filter((candidate) => candidate.nodeId !== 'joined')) {
        expect(node.rowsIn, node.nodeId).toBe(node.rowsOut + node.rowsRejected + node.rowsFiltered);
      }
      // Both inputs are tiny: a join that may broadcast does.
      expect(await joinStrategyOf(env, result.runId, 'joined')).toBe(
        strategy === 'shuffle' ? 'none' : 'broadcast',
      );
    },
  );

  it('shuffles a full join even when asked to broadcast: its unmatched rows from both sides must appear once', async () => {
    const result = await runPipelineLocally(joinPipeline('full', true, 'broadcast'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const joined = result.nodes.find((node) => node.nodeId === 'joined');
    expect(joined).toMatchObject({ rowsIn: 5 + 6, rowsRejected: 0, ...EXPECTED.full });
    expect(await joinStrategyOf(env, result.runId, 'joined')).toBe('none');
  });
});
