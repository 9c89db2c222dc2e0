/**
 * dynalite 4 reads Query and Scan results through streams over abstract-level 3
 * iterators and, when a stream ends or is cut short, closes its iterator with
 * `iterator.return()`: a method those iterators do not have (they have
 * `close()`), so dynalite skips it and every Query left a LevelDB iterator open
 * until the store closed. Measured: about 60 KB of RSS and 13 KB of heap per
 * Query, the soak's steady growth. Giving the iterators the `return()` dynalite
 * expects closes each one when its stream is done.
 */
import { AbstractIterator, AbstractKeyIterator, AbstractValueIterator } from 'abstract-level';

interface ClosableIterator {
  return?: () => Promise<void>;
  close(): Promise<void>;
}

/** Idempotent; leaves alone a `return()` a later abstract-level may bring. */
export function closeIteratorsWhenDynaliteStreamsEnd(): void {
  for (const iteratorClass of [AbstractIterator, AbstractKeyIterator, AbstractValueIterator]) {
    const prototype = iteratorClass.prototype as unknown as ClosableIterator;
    prototype.return ??= function (this: ClosableIterator) {
      return this.close();
    };
  }
}
