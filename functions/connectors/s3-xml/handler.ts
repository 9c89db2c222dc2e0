/** Lambda entry of the `s3-xml` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { planFiles } from '../record-files/plan.ts';
import { extractXml } from './extract.ts';
import { s3XmlModule } from './module.ts';

export const handler = createExtractorHandler(s3XmlModule, { plan: planFiles, extract: extractXml });
