import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { ALL_PIPELINES, linearPipeline } from './pipelines.ts';

interface AslValidation {
  readonly isValid: boolean;
  errorsText(separator?: string): string;
}
type AslValidator = (definition: unknown) => AslValidation;

// asl-validator is CommonJS without type declarations: load it through require and type what we use.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

describe('translatePipeline output', () => {
  it.each(ALL_PIPELINES)('passes asl-validator for %s', (_name, build) => {
    const definition = translatePipeline(build(), { resolveFunctionArn: localFunctionArn });

    // The validator writes a default QueryLanguage into the states it checks: hand it a copy.
    const result = aslValidator(structuredClone(definition));

    expect(result.errorsText(), 'asl-validator errors').toBe('');
    expect(result.isValid).toBe(true);
  });

  it('rejects a transition to a missing state, so the check above is live', () => {
    const definition = translatePipeline(linearPipeline(), { resolveFunctionArn: localFunctionArn });
    const { Failed: _dropped, ...states } = definition.States;

    const result = aslValidator(structuredClone({ ...definition, States: states }));

    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toContain('Failed');
  });
});
