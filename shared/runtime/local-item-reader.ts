/** Plays a Distributed Map's ItemReader locally: reads the JSON array the plan wrote to S3 into the state. */
import { z } from 'zod';
import { getJson } from '../aws/s3-objects.ts';
import { InvalidEventError } from '../errors.ts';
import { handlerDeps } from '../lambda/deps.ts';
import { LOWERED_ITEMS_FIELD } from './lower-for-local.ts';

const ReaderEventSchema = z.object({
  state: z.record(z.string(), z.unknown()),
  Bucket: z.string(),
  Key: z.string(),
});

export async function readItemsIntoState(event: unknown): Promise<Record<string, unknown>> {
  const parsed = ReaderEventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidEventError(`local item reader: ${parsed.error.message}`);
  const items = await getJson(handlerDeps().s3, parsed.data.Bucket, parsed.data.Key);
  if (!Array.isArray(items)) {
    throw new InvalidEventError(
      `s3://${parsed.data.Bucket}/${parsed.data.Key} does not hold a JSON array of items`,
    );
  }
  return { ...parsed.data.state, [LOWERED_ITEMS_FIELD]: items };
}
