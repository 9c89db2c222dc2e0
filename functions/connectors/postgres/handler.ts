/** Lambda entry of the `postgres` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractSqlChunk } from '../sql-common/extract-chunk.ts';
import { planSqlExtract } from '../sql-common/extract-plan.ts';
import { postgresDialect } from './dialect.ts';
import { postgresModule } from './module.ts';

export const handler = createExtractorHandler(postgresModule, {
  plan: (config, io, chunkSizeBytes) => planSqlExtract(postgresDialect, config, io, chunkSizeBytes),
  extract: (config, chunk, io) => extractSqlChunk(postgresDialect, config, chunk, io),
});
