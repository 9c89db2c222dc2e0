/** Lambda entry of the `window` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { windowKernel } from './kernel.ts';
import { windowModule } from './module.ts';

export const handler = createBarrierHandler(windowModule, windowKernel);
