/** Lambda entry of the `rabbitmq` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractMessages } from './extract.ts';
import { rabbitMqModule } from './module.ts';
import { planDrain } from './plan.ts';

export const handler = createExtractorHandler(rabbitMqModule, {
  plan: (config, io, chunkSizeBytes) => planDrain(config, io, chunkSizeBytes),
  extract: extractMessages,
});
