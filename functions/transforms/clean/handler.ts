/** Lambda entry of the `clean` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { cleanKernel } from './kernel.ts';
import { cleanModule } from './module.ts';

export const handler = createTransformHandler(cleanModule, cleanKernel);
