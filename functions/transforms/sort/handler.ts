/** Lambda entry of the `sort` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { sortKernel } from './kernel.ts';
import { sortModule } from './module.ts';

export const handler = createBarrierHandler(sortModule, sortKernel);
