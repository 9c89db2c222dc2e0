/** Lambda entry of the `s3-csv` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractCsv, extractCsvToTable } from './extract.ts';
import { s3CsvModule } from './module.ts';
import { planCsv } from './plan.ts';

export const handler = createExtractorHandler(s3CsvModule, {
  plan: planCsv,
  extract: extractCsv,
  extractToTable: extractCsvToTable,
});
