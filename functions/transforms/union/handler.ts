/** Lambda entry of the `union` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { unionKernel } from './kernel.ts';
import { unionModule } from './module.ts';

export const handler = createBarrierHandler(unionModule, unionKernel);
