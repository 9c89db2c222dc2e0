/** Lambda entry of the `mask` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { maskKernel } from './kernel.ts';
import { maskModule } from './module.ts';

export const handler = createTransformHandler(maskModule, maskKernel);
