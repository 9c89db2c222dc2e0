/** `etl schema [module]`: the JSON Schema of the pipeline format, or of one module's config, for editors. */
import { z } from 'zod';
import { registry } from '../../modules/registry.ts';
import { pipelineJsonSchema } from '../../spec/schema.ts';

export class UnknownModuleError extends Error {
  override readonly name = 'UnknownModuleError';
}

export function schemaCommand(moduleName: string | undefined): void {
  if (moduleName === undefined) {
    console.log(JSON.stringify(pipelineJsonSchema(), null, 2));
    return;
  }
  const module = registry.get(moduleName);
  if (module === undefined) {
    const known = registry.list().map((candidate) => candidate.name);
    throw new UnknownModuleError(`unknown module "${moduleName}"; known modules: ${known.join(', ')}`);
  }
  console.log(JSON.stringify(z.toJSONSchema(module.configSchema, { io: 'input' }), null, 2));
}
