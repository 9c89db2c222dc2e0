/** Lambda entry of the `unpivot` transform. */
import { createTransformHandler } from '../../../shared/lambda/transform-handler.ts';
import { unpivotKernel } from './kernel.ts';
import { unpivotModule } from './module.ts';

export const handler = createTransformHandler(unpivotModule, unpivotKernel);
