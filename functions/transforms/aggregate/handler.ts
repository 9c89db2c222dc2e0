/** Lambda entry of the `aggregate` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { aggregateKernel } from './kernel.ts';
import { aggregateModule } from './module.ts';

export const handler = createBarrierHandler(aggregateModule, aggregateKernel);
