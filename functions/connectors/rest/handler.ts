/** Lambda entry of the `rest` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { restKernel } from './extract.ts';
import { restModule } from './module.ts';

export const handler = createExtractorHandler(restModule, restKernel());
