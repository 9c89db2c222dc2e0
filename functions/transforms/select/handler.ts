/** Lambda entry of the `select` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { selectKernel } from './kernel.ts';
import { selectModule } from './module.ts';

export const handler = createTransformHandler(selectModule, selectKernel);
