/** `--param k=v` values, checked against the pipeline's declared parameters and typed by them. */
import type { Pipeline } from '../../spec/schema.ts';

/** Plain decimal notation only: `0x10` or `0b11` are more likely typos than intent. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

export function parseParameters(
  pipeline: Pipeline,
  assignments: readonly string[],
): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new ParameterError(`--param expects name=value, got "${assignment}"`);
    const name = assignment.slice(0, equals);
    const raw = assignment.slice(equals + 1);
    // Own keys only: `toString` or `__proto__` must not pass for declared parameters.
    const declared = Object.hasOwn(pipeline.parameters, name) ? pipeline.parameters[name] : undefined;
    if (declared === undefined) {
      const known = Object.keys(pipeline.parameters);
      throw new ParameterError(
        `unknown parameter "${name}"; the pipeline declares ${known.length ? known.join(', ') : 'none'}`,
      );
    }
    if (declared.type === 'number') {
      const number = Number(raw);
      if (!DECIMAL.test(raw.trim()) || !Number.isFinite(number))
        throw new ParameterError(`parameter "${name}" must be a number, got "${raw}"`);
      values[name] = number;
    } else if (declared.type === 'boolean') {
      if (raw !== 'true' && raw !== 'false')
        throw new ParameterError(`parameter "${name}" must be true or false, got "${raw}"`);
      values[name] = raw === 'true';
    } else {
      values[name] = raw;
    }
  }
  return values;
}
