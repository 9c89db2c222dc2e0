/** Lambda entry of the `filter` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { filterKernel } from './kernel.ts';
import { filterModule } from './module.ts';

export const handler = createTransformHandler(filterModule, filterKernel);
