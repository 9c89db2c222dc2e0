/**
 * Fuzzes the validator and translator with generated and mutated pipelines:
 * nothing throws (every failure is a validation error with a pointer), and
 * every accepted pipeline translates to ASL that asl-validator accepts, under
 * Step Functions' 1 MB limit. Runs FUZZ_PIPELINE_RUNS cases in all, half as
 * generated, half mutated (10,000 under `npm run test:fuzz`).
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registry } from '../../shared/modules/registry.ts';
import { type ValidationResult, validatePipeline } from '../../shared/spec/validate.ts';
import { localFunctionArn } from '../../statemachines/function-names.ts';
import { aslSizeBytes, MAX_DEFINITION_BYTES, translatePipeline } from '../../statemachines/translate.ts';
import { mutatedPipelineArbitrary, validPipelineArbitrary } from './arbitraries/pipeline.ts';
import { fuzzRuns, fuzzSeed } from './runs.ts';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText(): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const RUNS = Math.ceil(fuzzRuns('FUZZ_PIPELINE_RUNS', 120) / 2);
const seed = fuzzSeed();
const settings = { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) };
// asl-validator compiles its schemas on every call (~0.1 s): the timeout grows with the count.
const timeout = 30_000 + RUNS * 200;

/** The oracle: a result, never a throw; errors have pointers; accepted pipelines make valid ASL. */
async function checkPipeline(document: unknown): Promise<ValidationResult> {
  const result = await validatePipeline(document, registry);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      expect(error.pointer === '' || error.pointer.startsWith('/')).toBe(true);
      expect(error.message.length).toBeGreaterThan(0);
    }
    return result;
  }
  const definition = translatePipeline(result.pipeline, { resolveFunctionArn: localFunctionArn });
  const checked = aslValidator(structuredClone(definition));
  expect(checked.errorsText()).toBe('');
  expect(checked.isValid).toBe(true);
  expect(aslSizeBytes(definition)).toBeLessThanOrEqual(MAX_DEFINITION_BYTES);
  return result;
}

describe('pipeline fuzzing: validator and translator', () => {
  it('refuses a config value JSON cannot hold, rather than failing translation (found by fuzzing)', async () => {
    // `custom` takes free-form options, where an in-process caller can put `undefined` in a list.
    const document = {
      name: 'not json',
      nodes: [
        { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } },
        {
          id: 'c',
          type: 'transformer',
          module: 'custom',
          config: { function: 'f', options: { list: [undefined] } },
        },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake' } },
      ],
      edges: [
        { source: 'src', target: 'c' },
        { source: 'c', target: 'out' },
      ],
    };

    const result = await checkPipeline(document);

    expect(registry.get('custom')).toBeDefined();
    expect(result.errors).toStrictEqual([
      {
        pointer: '/nodes/1/config',
        code: 'config',
        message: 'config.options.list[0] is a undefined, which is not JSON',
      },
    ]);
  });

  it(
    `translates generated pipelines the validator accepts (${RUNS} cases)`,
    async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(validPipelineArbitrary, async (document) => {
          if ((await checkPipeline(document)).ok) accepted++;
        }),
        settings,
      );

      // Guards the oracle: if the generator drifted from the schemas, nothing would reach the
      // translator. About 15% are accepted (the rest fail SQL or cross-field checks), so at the
      // default count none accepted means drift, not chance (0.85^60 < 1e-4).
      expect(accepted).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    `never throws on mutated pipelines (${RUNS} cases)`,
    async () => {
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(mutatedPipelineArbitrary, async (document) => {
          if (!(await checkPipeline(document)).ok) rejected++;
        }),
        settings,
      );

      // Mutations must reach the error branch (the accepted branch is the test above's).
      expect(rejected).toBeGreaterThan(RUNS / 2);
    },
    timeout,
  );
});
