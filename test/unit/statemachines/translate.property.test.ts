import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { stateNamesForNode } from '../../../statemachines/state-names.ts';
import { listTaskStates } from '../../../statemachines/task-states.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { pipeline } from './pipelines.ts';

const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  readonly isValid: boolean;
  errorsText(): string;
};

/**
 * Any forest of chunk-local trees: node i > 0 either starts a new stage or
 * hangs under an earlier node. Leaves become loaders, inner nodes
 * transformers, so every generated pipeline is valid.
 */
const forestPipeline = fc
  .array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 })
  .map((choices): Pipeline => {
    const parents = choices.map((choice, index) =>
      index === 0 || choice % 4 === 0 ? undefined : choice % index,
    );
    const hasChildren = new Set(parents.filter((parent) => parent !== undefined));
    const nodes = parents.map((parent, index) => {
      const type = parent === undefined ? 'extractor' : hasChildren.has(index) ? 'transformer' : 'loader';
      const module = { extractor: 's3-csv', transformer: 'filter', loader: 's3-parquet' }[type];
      return { id: `n${index}`, type, module, config: { position: index } } as const;
    });
    const edges = parents.flatMap((parent, index) =>
      parent === undefined ? [] : [{ source: `n${parent}`, target: `n${index}` }],
    );
    return pipeline({ name: 'generated', nodes, edges });
  });

describe('translatePipeline on generated pipelines', () => {
  it('always emits a definition asl-validator accepts', () => {
    fc.assert(
      fc.property(forestPipeline, (generated) => {
        const definition = translatePipeline(generated, { resolveFunctionArn: localFunctionArn });

        expect(aslValidator(structuredClone(definition)).errorsText()).toBe('');
      }),
      { numRuns: 25 },
    );
  });

  it('invokes every node from exactly its own Task states when unfused', () => {
    fc.assert(
      fc.property(forestPipeline, (generated) => {
        const unfused = { ...generated, execution: { ...generated.execution, fuse: false } };
        const definition = translatePipeline(unfused, { resolveFunctionArn: localFunctionArn });
        const taskNames = listTaskStates(definition).map(({ name }) => name);

        const expected = [
          'Init',
          ...generated.nodes.flatMap((node) => stateNamesForNode(node)),
          'Finalize',
          'OnFailure',
        ];
        expect([...taskNames].sort()).toStrictEqual(expected.sort());
      }),
      { numRuns: 200 },
    );
  });

  it("fused, runs each stage in one Chain Task whose tree holds exactly the stage's nodes", () => {
    fc.assert(
      fc.property(forestPipeline, (generated) => {
        const definition = translatePipeline(generated, { resolveFunctionArn: localFunctionArn });
        const tasks = listTaskStates(definition);

        const extractors = generated.nodes.filter((node) => node.type === 'extractor');
        const loaders = generated.nodes.filter((node) => node.type === 'loader');
        const expected = [
          'Init',
          ...extractors.flatMap((node) => [`Plan ${node.id}`, `Chain ${node.id}`]),
          ...loaders.map((node) => `Commit ${node.id}`),
          'Finalize',
          'OnFailure',
        ];
        expect(tasks.map(({ name }) => name).sort()).toStrictEqual(expected.sort());
        const inTrees = tasks
          .filter(({ name }) => name.startsWith('Chain '))
          .flatMap(({ state }) => treeNodeIds(state.Parameters.Payload.root));
        expect(inTrees.sort()).toStrictEqual(generated.nodes.map((node) => node.id).sort());
      }),
      { numRuns: 200 },
    );
  });
});

/** Every node id in a fused Task's tree, root first. */
function treeNodeIds(tree: unknown): string[] {
  const { node, children } = tree as { node: { id: string }; children: unknown[] };
  return [node.id, ...children.flatMap(treeNodeIds)];
}
