import { describe, expect, it } from 'vitest';
import {
  advanceMark,
  newObjects,
  parseMark,
} from '../../../../../functions/connectors/s3-incremental/watermark.ts';

const at = (iso: string, key: string) => ({ key, size: 10, lastModified: new Date(iso) });

describe('newObjects', () => {
  it('keeps objects after the mark, and those of its very second it has not read', () => {
    const objects = [
      at('2026-01-01T00:00:00Z', 'old.csv'),
      at('2026-01-01T00:00:05Z', 'read.csv'),
      at('2026-01-01T00:00:05Z', 'same-second.csv'),
      at('2026-01-01T00:00:06Z', 'new.csv'),
    ];

    const selected = newObjects(objects, { at: '2026-01-01T00:00:05.000Z', keys: ['read.csv'] });

    expect(selected.map((object) => object.key)).toStrictEqual(['same-second.csv', 'new.csv']);
  });

  it('keeps everything when there is no mark', () => {
    expect(newObjects([at('2026-01-01T00:00:00Z', 'a.csv')], undefined)).toHaveLength(1);
  });
});

describe('advanceMark', () => {
  it('moves to the latest time with the keys read at it', () => {
    const mark = advanceMark(
      [at('2026-01-01T00:00:01Z', 'a.csv'), at('2026-01-01T00:00:02Z', 'b.csv')],
      undefined,
    );

    expect(mark).toStrictEqual({ at: '2026-01-01T00:00:02.000Z', keys: ['b.csv'] });
  });

  it('adds to the keys of the same second instead of forgetting them', () => {
    const previous = { at: '2026-01-01T00:00:02.000Z', keys: ['b.csv'] };

    expect(advanceMark([at('2026-01-01T00:00:02Z', 'c.csv')], previous)).toStrictEqual({
      at: '2026-01-01T00:00:02.000Z',
      keys: ['b.csv', 'c.csv'],
    });
  });
});

describe('parseMark', () => {
  it('fails naming the node when the saved value is not an S3 watermark', () => {
    expect(() => parseMark('2024-01-01', 'node src')).toThrow(
      'the saved watermark of node src is not an S3 last-modified watermark: 2024-01-01',
    );
  });
});
