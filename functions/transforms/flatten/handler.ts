/** Lambda entry of the `flatten` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { flattenKernel } from './kernel.ts';
import { flattenModule } from './module.ts';

export const handler = createTransformHandler(flattenModule, flattenKernel);
