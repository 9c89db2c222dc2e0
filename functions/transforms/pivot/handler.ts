/** Lambda entry of the `pivot` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { pivotKernel } from './kernel.ts';
import { pivotModule } from './module.ts';

export const handler = createBarrierHandler(pivotModule, pivotKernel);
