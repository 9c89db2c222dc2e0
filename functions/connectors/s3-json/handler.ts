/** Lambda entry of the `s3-json` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractJson } from './extract.ts';
import { s3JsonModule } from './module.ts';
import { planJson } from './plan.ts';

export const handler = createExtractorHandler(s3JsonModule, { plan: planJson, extract: extractJson });
