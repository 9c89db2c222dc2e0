import { describe, expect, it } from 'vitest';
import { registry } from '../../../../../shared/modules/registry.ts';
import { PipelineSchema } from '../../../../../shared/spec/schema.ts';
import { validatePipeline } from '../../../../../shared/spec/validate.ts';
import { planStages } from '../../../../../statemachines/planner.ts';

/** src -> check (validate with `rules`) -> out. */
function document(rules: unknown[]) {
  return {
    name: 'unique keys',
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } },
      { id: 'check', type: 'transformer', module: 'validate', config: { rules } },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'curated-data' } },
    ],
    edges: [
      { source: 'src', target: 'check' },
      { source: 'check', target: 'out' },
    ],
  };
}

/** Each stage as its source and the node ids of its chain, shuffles marked `>`. */
function stageOutline(rules: unknown[]): string[][] {
  return planStages(PipelineSchema.parse(document(rules))).map((stage) => {
    const ids: string[] = [];
    const visit = (chain: (typeof stage)['root']) => {
      ids.push(chain.node.id, ...chain.shuffles.map((target) => `>${target.barrier.id}`));
      chain.children.forEach(visit);
    };
    visit(stage.root);
    return ids;
  });
}

describe('a validate node with unique rules in a pipeline', () => {
  it('stays chunk-local without a unique rule', () => {
    expect(stageOutline([{ column: 'email', check: 'not_null' }])).toStrictEqual([['src', 'check', 'out']]);
  });

  it('becomes a barrier with one: its input is shuffled, and it starts the next stage', () => {
    expect(
      stageOutline([
        { column: 'email', check: 'not_null' },
        { column: 'email', check: 'unique', severity: 'warn' },
      ]),
    ).toStrictEqual([
      ['src', '>check'],
      ['check', 'out'],
    ]);
  });

  it('fails validation at the rule whose key shares no column with the others, saying how to split', async () => {
    const result = await validatePipeline(
      document([
        { column: ['email', 'country'], check: 'unique' },
        { column: 'country', check: 'unique', severity: 'warn' },
        { column: 'id', check: 'unique' },
      ]),
      registry,
    );

    expect(result.ok).toBe(false);
    expect(result.errors).toStrictEqual([
      {
        pointer: '/nodes/1/config/rules/2/column',
        code: 'config',
        message: expect.stringMatching(
          /^unique rule "unique:id" shares no column with "unique:email, country" .*split these rules across two validate nodes$/,
        ),
      },
    ]);
  });

  it('accepts a composite key and NULL-free keys alike when they share a column', async () => {
    const result = await validatePipeline(
      document([
        { column: ['email', 'country'], check: 'unique' },
        { column: 'email', check: 'unique', severity: 'fail' },
      ]),
      registry,
    );

    expect(result.errors).toStrictEqual([]);
  });
});
