/** Lambda entry of the `normalize` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { normalizeKernel } from './kernel.ts';
import { normalizeModule } from './module.ts';

export const handler = createTransformHandler(normalizeModule, normalizeKernel);
