/** Lambda entry of the `validate` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { validateKernel } from './kernel.ts';
import { validateModule } from './module.ts';

export const handler = createTransformHandler(validateModule, validateKernel);
