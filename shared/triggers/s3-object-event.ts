/**
 * The S3 "Object Created" event as EventBridge delivers it, and the
 * conversion of the local S3's notification records (s3rver emits the
 * classic `Records[].s3` shape) into it, so the cloud and `etl serve` run
 * one trigger handler.
 */
import { z } from 'zod';

export const ObjectCreatedEventSchema = z
  .object({
    source: z.literal('aws.s3'),
    'detail-type': z.literal('Object Created'),
    detail: z
      .object({
        bucket: z.object({ name: z.string().min(1) }).loose(),
        object: z
          .object({
            key: z.string().min(1),
            etag: z.string().optional(),
            'version-id': z.string().optional(),
            size: z.number().optional(),
            sequencer: z.string().optional(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();
export type ObjectCreatedEvent = z.output<typeof ObjectCreatedEventSchema>;

const NotificationRecordsSchema = z
  .object({
    Records: z.array(
      z
        .object({
          eventName: z.string(),
          eventTime: z.string().optional(),
          s3: z
            .object({
              bucket: z.object({ name: z.string() }).loose(),
              object: z
                .object({
                  key: z.string(),
                  eTag: z.string().optional(),
                  versionId: z.string().optional(),
                  size: z.number().optional(),
                  sequencer: z.string().optional(),
                })
                .loose(),
            })
            .loose(),
        })
        .loose(),
    ),
  })
  .loose();

/** Object Created events in EventBridge's shape; anything else in the notification is left out. */
export function objectCreatedFromNotification(notification: unknown): ObjectCreatedEvent[] {
  const parsed = NotificationRecordsSchema.safeParse(notification);
  if (!parsed.success) return [];
  return parsed.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
    (record) => {
      const { bucket, object } = record.s3;
      return {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        ...(record.eventTime === undefined ? {} : { time: record.eventTime }),
        detail: {
          bucket: { name: bucket.name },
          object: {
            key: object.key,
            ...(object.eTag === undefined ? {} : { etag: object.eTag }),
            ...(object.versionId === undefined ? {} : { 'version-id': object.versionId }),
            ...(object.size === undefined ? {} : { size: object.size }),
            ...(object.sequencer === undefined ? {} : { sequencer: object.sequencer }),
          },
        },
      };
    },
  );
}
