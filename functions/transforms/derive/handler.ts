/** Lambda entry of the `derive` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { deriveKernel } from './kernel.ts';
import { deriveModule } from './module.ts';

export const handler = createTransformHandler(deriveModule, deriveKernel);
