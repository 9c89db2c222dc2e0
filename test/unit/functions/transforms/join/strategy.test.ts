import { describe, expect, it } from 'vitest';
import {
  broadcastSides,
  chooseBroadcast,
  mayBroadcast,
} from '../../../../../functions/transforms/join/strategy.ts';

const LIMIT = 1000;
/** Left 5,000 bytes, right 800 bytes, both with rows. */
const SIZES = { bytes: [5000, 800], hasRows: [true, true] };

describe('broadcastSides', () => {
  it('broadcasts the input whose unmatched rows the join drops, and never for a full join', () => {
    expect(broadcastSides('inner')).toStrictEqual({ broadcast: 1, stream: 0 });
    expect(broadcastSides('left')).toStrictEqual({ broadcast: 1, stream: 0 });
    expect(broadcastSides('right')).toStrictEqual({ broadcast: 0, stream: 1 });
    expect(broadcastSides('full')).toBeUndefined();
  });
});

describe('mayBroadcast', () => {
  it('is false for strategy shuffle and for full joins', () => {
    expect(mayBroadcast({ type: 'left', strategy: 'auto' })).toBe(true);
    expect(mayBroadcast({ type: 'left', strategy: 'shuffle' })).toBe(false);
    expect(mayBroadcast({ type: 'full', strategy: 'broadcast' })).toBe(false);
  });
});

describe('chooseBroadcast', () => {
  it('auto: broadcasts an input within the limit', () => {
    expect(chooseBroadcast({ type: 'inner', strategy: 'auto' }, SIZES, LIMIT)).toStrictEqual({
      broadcast: 1,
      stream: 0,
    });
  });

  it('auto: shuffles when the broadcastable input is over the limit, even if the other is small', () => {
    // A right join may only broadcast the left input, the large one here.
    expect(chooseBroadcast({ type: 'right', strategy: 'auto' }, SIZES, LIMIT)).toBeUndefined();
    expect(chooseBroadcast({ type: 'left', strategy: 'auto' }, SIZES, 799)).toBeUndefined();
  });

  it('broadcast: ignores the limit; shuffle: never broadcasts', () => {
    expect(chooseBroadcast({ type: 'right', strategy: 'broadcast' }, SIZES, LIMIT)).toStrictEqual({
      broadcast: 0,
      stream: 1,
    });
    expect(chooseBroadcast({ type: 'inner', strategy: 'shuffle' }, SIZES, LIMIT)).toBeUndefined();
  });

  it('shuffles when the stream input has no rows: bucket reduces then count the other input', () => {
    const emptyStream = { bytes: [0, 800], hasRows: [false, true] };

    expect(chooseBroadcast({ type: 'left', strategy: 'broadcast' }, emptyStream, LIMIT)).toBeUndefined();
  });
});
