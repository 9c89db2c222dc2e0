/** Run parameters sent to the API, checked against the pipeline's declarations. */
import type { ParameterValues } from '../../shared/executions/execution-service.ts';
import { jsonPointer } from '../../shared/spec/json-pointer.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import type { ProblemError } from './problem.ts';

export function parameterErrors(pipeline: Pipeline, values: ParameterValues): ProblemError[] {
  const errors: ProblemError[] = [];
  for (const [name, value] of Object.entries(values)) {
    const pointer = jsonPointer(['parameters', name]);
    // Own keys only: `toString` or `__proto__` must not pass for declared parameters.
    const declared = Object.hasOwn(pipeline.parameters, name) ? pipeline.parameters[name] : undefined;
    if (declared === undefined) {
      const known = Object.keys(pipeline.parameters);
      errors.push({
        pointer,
        code: 'unknown_parameter',
        message: `unknown parameter "${name}"; the pipeline declares ${known.length ? known.join(', ') : 'none'}`,
      });
    } else if (typeof value !== declared.type) {
      errors.push({
        pointer,
        code: 'parameter_type',
        message: `parameter "${name}" must be a ${declared.type}`,
      });
    }
  }
  return errors;
}
