/** Lambda entry of the `graphql` extractor. */
import { createExtractorHandler } from '../../../shared/lambda/extractor-handler.ts';
import { graphqlKernel } from './extract.ts';
import { graphqlModule } from './module.ts';

export const handler = createExtractorHandler(graphqlModule, graphqlKernel());
