/** Lambda entry of the `lookup` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { lookupKernel } from './kernel.ts';
import { lookupModule } from './module.ts';

export const handler = createTransformHandler(lookupModule, lookupKernel);
