/** Lambda entry of the `dedup` barrier transform. */
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import { dedupKernel } from './kernel.ts';
import { dedupModule } from './module.ts';

export const handler = createBarrierHandler(dedupModule, dedupKernel);
