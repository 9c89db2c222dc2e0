/** Every example pipeline is valid and translates to ASL that asl-validator and the local interpreter accept. */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../shared/modules/registry.ts';
import { validatePipeline } from '../../../shared/spec/validate.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { aslSizeBytes, translatePipeline } from '../../../statemachines/translate.ts';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText(): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const examples = (await readdir(examplesDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('examples', () => {
  it('has at least two runnable pipelines', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)('%s validates and its ASL passes asl-validator and the interpreter', async (name) => {
    const document: unknown = JSON.parse(await readFile(`${examplesDir}${name}/pipeline.json`, 'utf8'));

    const validation = await validatePipeline(document, registry);
    if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
    const definition = translatePipeline(validation.pipeline, { resolveFunctionArn: localFunctionArn });

    const checked = aslValidator(structuredClone(definition));
    expect(checked.errorsText()).toBe('');
    expect(checked.isValid).toBe(true);
    expect(() => new StateMachine(definition)).not.toThrow();
    expect(aslSizeBytes(definition)).toBeLessThan(1024 * 1024);
  });
});
