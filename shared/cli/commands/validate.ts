/** `etl validate <file>` and the validation step every other pipeline command starts with. */
import { registry } from '../../modules/registry.ts';
import type { Pipeline } from '../../spec/schema.ts';
import { validatePipeline } from '../../spec/validate.ts';
import { readPipelineFile } from '../load-pipeline.ts';

export class InvalidPipelineError extends Error {
  override readonly name = 'InvalidPipelineError';
}

/** Reads and validates; throws with every problem listed when the pipeline is invalid. */
export async function loadValidPipeline(path: string): Promise<Pipeline> {
  const result = await validatePipeline(await readPipelineFile(path), registry);
  if (result.ok) return result.pipeline;
  const width = Math.max(...result.errors.map((error) => (error.pointer || '/').length));
  const lines = result.errors.map(
    (error) => `  ${(error.pointer || '/').padEnd(width)}  ${error.message}  [${error.code}]`,
  );
  throw new InvalidPipelineError(`${path}: ${result.errors.length} problem(s)\n${lines.join('\n')}`);
}

export async function validateCommand(path: string): Promise<void> {
  const pipeline = await loadValidPipeline(path);
  console.log(`${path}: valid (${pipeline.nodes.length} nodes, ${pipeline.edges.length} edges)`);
}
