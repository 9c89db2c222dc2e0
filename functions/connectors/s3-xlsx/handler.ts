/** Lambda entry of the `s3-xlsx` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { planFiles } from '../record-files/plan.ts';
import { extractXlsx } from './extract.ts';
import { s3XlsxModule } from './module.ts';

export const handler = createExtractorHandler(s3XlsxModule, { plan: planFiles, extract: extractXlsx });
