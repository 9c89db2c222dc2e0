/** Lambda entry of the `mysql` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractSqlChunk } from '../sql-common/extract-chunk.ts';
import { planSqlExtract } from '../sql-common/extract-plan.ts';
import { mysqlDialect } from './dialect.ts';
import { mysqlModule } from './module.ts';

export const handler = createExtractorHandler(mysqlModule, {
  plan: (config, io, chunkSizeBytes) => planSqlExtract(mysqlDialect, config, io, chunkSizeBytes),
  extract: (config, chunk, io) => extractSqlChunk(mysqlDialect, config, chunk, io),
});
