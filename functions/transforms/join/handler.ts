/** Lambda entry of the `join` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { joinKernel } from './kernel.ts';
import { joinModule } from './module.ts';

export const handler = createBarrierHandler(joinModule, joinKernel);
