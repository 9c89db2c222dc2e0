/** Lambda entry of the `s3-parquet-extract` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractRowGroups } from './extract.ts';
import { s3ParquetExtractModule } from './module.ts';
import { planParquet } from './plan.ts';

export const handler = createExtractorHandler(s3ParquetExtractModule, {
  plan: planParquet,
  extract: extractRowGroups,
});
