import { describe, expect, it } from 'vitest';
import { TranslationError } from '../../../statemachines/errors.ts';
import { type ChainNode, findPlanProblems, planStages } from '../../../statemachines/planner.ts';
import { forkPipeline, linearPipeline, pipeline, twoStagePipeline } from './pipelines.ts';

/** A chain as `id(child, child)`, so a whole tree reads in one assertion. */
function shape(chain: ChainNode): string {
  const children = chain.children.map(shape).join(', ');
  return children === '' ? chain.node.id : `${chain.node.id}(${children})`;
}

describe('planStages', () => {
  it('plans one stage for a linear pipeline', () => {
    const stages = planStages(linearPipeline());

    expect(stages.map((stage) => [stage.sourceId, shape(stage.root)])).toStrictEqual([
      ['src', 'src(keep(sink))'],
    ]);
    expect(stages[0]?.root.node).toStrictEqual(linearPipeline().nodes[0]);
  });

  it('keeps children in edge order at a fork', () => {
    const stages = planStages(forkPipeline());

    expect(stages.map((stage) => shape(stage.root))).toStrictEqual(['src(enrich(lake, archive))']);
  });

  it('plans one stage per extractor, in node order', () => {
    const stages = planStages(twoStagePipeline());

    expect(stages.map((stage) => [stage.sourceId, shape(stage.root)])).toStrictEqual([
      ['orders', 'orders(ordersOut)'],
      ['refunds', 'refunds(refundsOut)'],
    ]);
  });

  it('starts a new stage at a barrier, one level after the stages feeding it', () => {
    const stages = planStages(
      pipeline({
        name: 'union-then-dedup',
        nodes: [
          { id: 'a', type: 'extractor', module: 's3-csv' },
          { id: 'b', type: 'extractor', module: 's3-csv' },
          { id: 'both', type: 'transformer', module: 'union' },
          { id: 'unique', type: 'transformer', module: 'dedup' },
          { id: 'out', type: 'loader', module: 's3-parquet' },
        ],
        edges: [
          { source: 'a', target: 'both' },
          { source: 'b', target: 'both' },
          { source: 'both', target: 'unique' },
          { source: 'unique', target: 'out' },
        ],
      }),
    );

    expect(
      stages.map((stage) => [stage.sourceId, stage.source, stage.level, stage.inputs, shape(stage.root)]),
    ).toStrictEqual([
      ['a', 'extractor', 0, 1, 'a'],
      ['b', 'extractor', 0, 1, 'b'],
      ['both', 'barrier', 1, 2, 'both'],
      ['unique', 'barrier', 2, 1, 'unique(out)'],
    ]);
    expect(
      stages.map((stage) => stage.root.shuffles.map((target) => `${target.barrier.id}#${target.input}`)),
    ).toStrictEqual([['both#0'], ['both#1'], ['unique#0'], []]);
  });

  it('fails when a chunk-local node has more than one input', () => {
    const joined = pipeline({
      name: 'join',
      nodes: [
        { id: 'a', type: 'extractor', module: 's3-csv' },
        { id: 'b', type: 'extractor', module: 's3-csv' },
        { id: 'j', type: 'transformer', module: 'filter' },
        { id: 'out', type: 'loader', module: 's3-parquet' },
      ],
      edges: [
        { source: 'a', target: 'j' },
        { source: 'b', target: 'j' },
        { source: 'j', target: 'out' },
      ],
    });

    expect(() => planStages(joined)).toThrow(
      new TranslationError(['only barrier modules take several inputs: node j (filter) has inputs a, b']),
    );
  });

  it('fails when the graph is broken, listing every problem at once', () => {
    const broken = pipeline({
      name: 'broken',
      nodes: [
        { id: 'a', type: 'extractor', module: 's3-csv' },
        { id: 'out', type: 'loader', module: 's3-parquet' },
        { id: 'lost', type: 'transformer', module: 'filter' },
        { id: 'x', type: 'transformer', module: 'filter' },
      ],
      edges: [
        { source: 'a', target: 'out' },
        { source: 'out', target: 'a' },
        { source: 'a', target: 'ghost' },
        { source: 'lost', target: 'x' },
        { source: 'x', target: 'lost' },
      ],
    });

    expect(findPlanProblems(broken)).toStrictEqual([
      'edge a -> ghost references unknown node ghost',
      'extractor a has inputs out',
      'loader out has outputs a',
      'node lost is not reachable from any extractor',
      'node x is not reachable from any extractor',
    ]);
    expect(() => planStages(broken)).toThrow(/^5 problems: edge a -> ghost references unknown node ghost; /);
  });

  it('fails when there is no extractor', () => {
    const noSource = pipeline({ name: 'none', nodes: [{ id: 'out', type: 'loader', module: 's3-parquet' }] });

    expect(() => planStages(noSource)).toThrow(
      '2 problems: pipeline has no extractor; node out is not reachable from any extractor',
    );
  });

  it('fails when two nodes share an id', () => {
    const duplicated = pipeline({
      name: 'dup',
      nodes: [
        { id: 'a', type: 'extractor', module: 's3-csv' },
        { id: 'a', type: 'loader', module: 's3-parquet' },
      ],
    });

    expect(findPlanProblems(duplicated)).toContain('duplicate node id a');
  });
});
