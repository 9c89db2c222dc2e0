/** Lambda entry of the `dynamodb` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { extractScan } from './extract.ts';
import { dynamoDbModule } from './module.ts';
import { planScan } from './plan.ts';

export const handler = createExtractorHandler(dynamoDbModule, { plan: planScan, extract: extractScan });
