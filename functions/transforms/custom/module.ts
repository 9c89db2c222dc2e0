/** `custom`: a user's TypeScript function over each chunk as an Arrow table; chunk-local. */
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { customLineage } from './lineage.ts';

/** Where function folders are looked up; the local runtime uses the working directory. */
export const CUSTOM_FUNCTIONS_DIR_ENV = 'ETL_CUSTOM_FUNCTIONS_DIR';

export const CustomConfigSchema = z.strictObject({
  function: z
    .string()
    .min(1)
    .describe(
      `Folder of the function, relative to ${CUSTOM_FUNCTIONS_DIR_ENV} (locally: the working directory); its index.ts exports \`transform\` (see functions/transforms/custom/template)`,
    ),
  options: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('Passed to the function as context.options'),
});
export type CustomConfig = z.output<typeof CustomConfigSchema>;

/** Why `folder` is not a plain relative path inside the functions folder, or undefined. */
export function folderProblem(folder: string): string | undefined {
  if (isAbsolute(folder)) return 'must be relative to the custom functions folder';
  const normalized = normalize(folder);
  return normalized === '..' || normalized.startsWith('../')
    ? 'must stay inside the custom functions folder'
    : undefined;
}

export const customModule = defineModule({
  name: 'custom',
  kind: 'transformer',
  title: 'Custom function (TypeScript)',
  description:
    "Runs a user's TypeScript function on each chunk: an Arrow table in (Int64, Float64, Bool, Utf8 columns), an Arrow table out. Template in functions/transforms/custom/template.",
  configSchema: CustomConfigSchema,
  chunkLocal: true,
  checkConfig: async (config): Promise<ConfigIssue[]> => {
    const problem = folderProblem(config.function);
    return problem === undefined ? [] : [{ path: ['function'], message: problem }];
  },
  lineage: customLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
