import { describe, expect, it } from 'vitest';
import {
  broadcastHardMaxBytes,
  broadcastSides,
  chooseBroadcast,
  mayBroadcast,
} from '../../../../../functions/transforms/join/strategy.ts';

/** The auto threshold 1,000 bytes; a task holds at most 10,000. */
const LIMIT = { maxBytes: 1000, hardMaxBytes: 10_000 };
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
      sides: { broadcast: 1, stream: 0 },
    });
  });

  it('auto: shuffles when the broadcastable input is over the limit, even if the other is small', () => {
    // A right join may only broadcast the left input, the large one here.
    expect(chooseBroadcast({ type: 'right', strategy: 'auto' }, SIZES, LIMIT)).toStrictEqual({});
    expect(
      chooseBroadcast({ type: 'left', strategy: 'auto' }, SIZES, { ...LIMIT, maxBytes: 799 }),
    ).toStrictEqual({});
  });

  it('broadcast: ignores the threshold; shuffle: never broadcasts', () => {
    expect(chooseBroadcast({ type: 'right', strategy: 'broadcast' }, SIZES, LIMIT)).toStrictEqual({
      sides: { broadcast: 0, stream: 1 },
    });
    expect(chooseBroadcast({ type: 'inner', strategy: 'shuffle' }, SIZES, LIMIT)).toStrictEqual({});
  });

  it('shuffles past what one task can hold, even when told to broadcast, and says why', () => {
    const tight = { maxBytes: 1000, hardMaxBytes: 4999 };

    const forced = chooseBroadcast({ type: 'right', strategy: 'broadcast' }, SIZES, tight);
    expect(forced.sides).toBeUndefined();
    expect(forced.overridden).toMatch(/input 0 is 5000 bytes .* past the 4999 one task can hold/);
    // A threshold above the cap is capped too, with nothing to report: auto never promised to broadcast.
    expect(
      chooseBroadcast({ type: 'right', strategy: 'auto' }, SIZES, {
        maxBytes: 1_000_000,
        hardMaxBytes: 4999,
      }),
    ).toStrictEqual({});
    // At the cap exactly, the forced broadcast stands.
    expect(
      chooseBroadcast({ type: 'right', strategy: 'broadcast' }, SIZES, { ...tight, hardMaxBytes: 5000 })
        .sides,
    ).toStrictEqual({ broadcast: 0, stream: 1 });
  });

  it("caps a broadcast at a quarter of a task's DuckDB memory: 265 MiB at 1,769 MB Lambdas", () => {
    // DuckDB gets 60% of a 1,769 MB Lambda: 1,061 MB.
    expect(broadcastHardMaxBytes(1061)).toBe(278_134_784);
    // Off Lambda, DuckDB gets 1 GB: 256 MiB.
    expect(broadcastHardMaxBytes()).toBe(256 * 1024 * 1024);
  });

  it('shuffles when the stream input has no rows: bucket reduces then count the other input', () => {
    const emptyStream = { bytes: [0, 800], hasRows: [false, true] };

    expect(chooseBroadcast({ type: 'left', strategy: 'broadcast' }, emptyStream, LIMIT)).toStrictEqual({});
  });
});
