/** Lambda entry of the `sql` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { sqlKernel } from './kernel.ts';
import { sqlModule } from './module.ts';

export const handler = createTransformHandler(sqlModule, sqlKernel);
