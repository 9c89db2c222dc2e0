/** Lambda entry of the `custom` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { customKernel } from './kernel.ts';
import { customModule } from './module.ts';

export const handler = createTransformHandler(customModule, customKernel);
