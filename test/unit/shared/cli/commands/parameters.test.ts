import { describe, expect, it } from 'vitest';
import { ParameterError, parseParameters } from '../../../../../shared/cli/commands/parameters.ts';
import { type Pipeline, type PipelineInput, PipelineSchema } from '../../../../../shared/spec/schema.ts';

function pipelineWith(parameters: PipelineInput['parameters']): Pipeline {
  return PipelineSchema.parse({
    name: 'parameters',
    nodes: [{ id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } }],
    parameters,
  });
}

const PIPELINE = pipelineWith({
  min_cost: { type: 'number', default: 1 },
  dry_run: { type: 'boolean' },
  state: { description: 'string by default' },
});

function parse(...assignments: string[]): Record<string, string | number | boolean> {
  return parseParameters(PIPELINE, assignments);
}

describe('parseParameters', () => {
  it('returns nothing for no assignments', () => {
    expect(parse()).toStrictEqual({});
  });

  it('types each value by its declared parameter', () => {
    expect(parse('min_cost=250.5', 'dry_run=true', 'state=Texas')).toStrictEqual({
      min_cost: 250.5,
      dry_run: true,
      state: 'Texas',
    });
  });

  it.each([
    ['0', 0],
    ['-3', -3],
    ['1e3', 1000],
    [' 42 ', 42],
  ])('reads the number %j as %d', (raw, expected) => {
    expect(parse(`min_cost=${raw}`)).toStrictEqual({ min_cost: expected });
  });

  it('reads false as the boolean false', () => {
    expect(parse('dry_run=false')).toStrictEqual({ dry_run: false });
  });

  it('keeps everything after the first = in the value, and allows an empty string', () => {
    expect(parse('state=a=b')).toStrictEqual({ state: 'a=b' });
    expect(parse('state=')).toStrictEqual({ state: '' });
  });

  it('lets a later assignment of the same parameter win', () => {
    expect(parse('min_cost=1', 'min_cost=2')).toStrictEqual({ min_cost: 2 });
  });

  it('fails when a parameter is not declared, naming the declared ones', () => {
    expect(() => parse('region=eu')).toThrow(
      new ParameterError('unknown parameter "region"; the pipeline declares min_cost, dry_run, state'),
    );
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])(
    'fails when %s, inherited by every object, is passed as a parameter',
    (name) => {
      expect(() => parse(`${name}=1`)).toThrow(`unknown parameter "${name}"`);
    },
  );

  it('fails when the pipeline declares no parameters', () => {
    expect(() => parseParameters(pipelineWith({}), ['region=eu'])).toThrow(
      'unknown parameter "region"; the pipeline declares none',
    );
  });

  it.each(['min_cost', '=5', ''])('fails when the assignment %j is not name=value', (assignment) => {
    expect(() => parse(assignment)).toThrow(`--param expects name=value, got "${assignment}"`);
  });

  it.each(['abc', '', '  ', 'Infinity', 'NaN', '1,5', '0x10', '0b11'])(
    'fails when the number %j is not a number',
    (raw) => {
      expect(() => parse(`min_cost=${raw}`)).toThrow(`parameter "min_cost" must be a number, got "${raw}"`);
    },
  );

  it.each(['yes', 'TRUE', '1', ''])('fails when the boolean %j is not true or false', (raw) => {
    expect(() => parse(`dry_run=${raw}`)).toThrow(`parameter "dry_run" must be true or false, got "${raw}"`);
  });

  it('fails with a ParameterError', () => {
    let caught: unknown;
    try {
      parse('min_cost=lots');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ParameterError);
    expect((caught as Error).name).toBe('ParameterError');
  });
});
