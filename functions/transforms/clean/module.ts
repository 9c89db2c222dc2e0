/** `clean`: trims text, maps case, turns placeholder values into NULL and drops duplicate rows. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { cleanLineage } from './lineage.ts';

export const DEFAULTS: {
  trim: boolean | string[];
  case: Record<string, 'lower' | 'upper'>;
  null_tokens: string[];
  dedup_by: string[];
} = { trim: false, case: {}, null_tokens: [], dedup_by: [] };

const columnName = z.string().min(1);

export const CleanConfigSchema = z.strictObject({
  trim: z
    .union([z.boolean(), z.array(columnName).min(1)])
    .default(DEFAULTS.trim)
    .describe(
      'Strip surrounding spaces, tabs and line breaks: true for every text (VARCHAR) column, or a list of text columns.',
    ),
  case: z
    .record(columnName, z.enum(['lower', 'upper']))
    .default(DEFAULTS.case)
    .describe('Text columns to convert to lower or upper case, e.g. {"state": "upper"}.'),
  null_tokens: z
    .array(z.string())
    .default(DEFAULTS.null_tokens)
    .describe(
      'Values that become NULL in every text column, e.g. ["", "NA", "N/A"]. Compared exactly (case-sensitive), ' +
        'ignoring surrounding whitespace, before any case conversion.',
    ),
  dedup_by: z
    .array(columnName)
    .default(DEFAULTS.dedup_by)
    .describe(
      'Key columns: of the rows of a chunk with equal keys (after cleaning; NULLs equal each other) only the ' +
        'first is kept. Chunk-local: use a global dedup node for duplicates across chunks.',
    ),
});

export type CleanConfig = z.output<typeof CleanConfigSchema>;

export const cleanModule = defineModule({
  name: 'clean',
  kind: 'transformer',
  title: 'Clean values',
  description:
    'Trims text, converts case, turns placeholder values such as "NA" into NULL and drops duplicate rows within a chunk, keeping row order.',
  configSchema: CleanConfigSchema,
  chunkLocal: true,
  lineage: cleanLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
