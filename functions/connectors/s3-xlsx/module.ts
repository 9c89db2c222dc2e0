/** `s3-xlsx`: one sheet of each Excel workbook under an S3 prefix, a header row naming the columns. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3XlsxConfigSchema } from './config.ts';

export const s3XlsxModule = defineModule({
  name: 's3-xlsx',
  kind: 'extractor',
  title: 'Excel workbooks on S3',
  description:
    'Reads one sheet (by name or position) of each .xlsx workbook under an S3 prefix, one chunk per workbook; a header row names the columns, formulas give their results, dates become timestamps.',
  configSchema: S3XlsxConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
