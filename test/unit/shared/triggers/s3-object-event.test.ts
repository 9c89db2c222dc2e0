import { describe, expect, it } from 'vitest';
import { objectCreatedFromNotification } from '../../../../shared/triggers/s3-object-event.ts';

/** A notification as s3rver 3.7 emits it (lib/models/event.js). */
function s3rverRecord(eventName: string, object: Record<string, unknown>) {
  return {
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-26T00:00:00.000Z',
    eventName,
    s3: { s3SchemaVersion: '1.0', bucket: { name: 'landing', arn: 'arn:aws:s3: : :landing' }, object },
  };
}

describe('objectCreatedFromNotification', () => {
  it('turns created objects into EventBridge Object Created events and leaves deletes out', () => {
    const events = objectCreatedFromNotification({
      Records: [
        s3rverRecord('ObjectCreated:Put', {
          key: 'weather/a b.csv',
          size: 12,
          eTag: 'abc123',
          sequencer: '18F',
        }),
        s3rverRecord('ObjectCreated:Copy', { key: 'weather/copy.csv', size: 12, sequencer: '190' }),
        s3rverRecord('ObjectRemoved:Delete', { key: 'weather/old.csv', sequencer: '191' }),
      ],
    });

    expect(events).toStrictEqual([
      {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        time: '2026-11-26T00:00:00.000Z',
        detail: {
          bucket: { name: 'landing' },
          object: { key: 'weather/a b.csv', etag: 'abc123', size: 12, sequencer: '18F' },
        },
      },
      {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        time: '2026-11-26T00:00:00.000Z',
        detail: {
          bucket: { name: 'landing' },
          object: { key: 'weather/copy.csv', size: 12, sequencer: '190' },
        },
      },
    ]);
  });

  it('ignores anything that is not an S3 notification', () => {
    expect(objectCreatedFromNotification({ hello: 'world' })).toStrictEqual([]);
    expect(objectCreatedFromNotification(undefined)).toStrictEqual([]);
  });
});
