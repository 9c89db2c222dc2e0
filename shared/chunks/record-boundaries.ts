/**
 * Cuts a text file into byte ranges that start and end on record boundaries,
 * by one streaming pass. Quote-aware for CSV: a newline inside a quoted field
 * never ends a record, so a chunk never starts mid-record.
 */
import type { Readable } from 'node:stream';

export interface RecordScanOptions {
  /** Target bytes per range; a range ends at the first record boundary past it. */
  readonly targetBytes: number;
  /** The quote byte for CSV (`"`); omit for NDJSON, whose strings cannot hold raw newlines. */
  readonly quote?: string;
  /** An escape byte different from the quote (e.g. `\\`); doubled quotes need none. */
  readonly escape?: string;
  /** Treat the first record as a header: it is reported apart and belongs to no range. */
  readonly header: boolean;
}

export interface RecordRange {
  /** Byte offset of the range's first record (inclusive). */
  readonly start: number;
  /** Byte offset just past the range's last record (exclusive). */
  readonly end: number;
  /** 1-based number of the range's first data record in the file. */
  readonly firstRecord: number;
  /** 1-based physical line of `start` (differs from records when quoted fields hold newlines). */
  readonly firstLine: number;
  readonly records: number;
}

export interface RecordScan {
  /** Bytes of the header record including its newline; 0 without a header. */
  readonly headerBytes: number;
  /** The header record's text (without its line ending), to compare files' columns cheaply. */
  readonly header: string;
  readonly ranges: RecordRange[];
  readonly totalBytes: number;
}

const NEWLINE = 0x0a;

function singleByte(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value);
  if (bytes.length !== 1) throw new RangeError(`${what} must be one byte, got ${JSON.stringify(value)}`);
  return bytes[0];
}

export async function scanRecordBoundaries(
  stream: Readable,
  options: RecordScanOptions,
): Promise<RecordScan> {
  const quote = singleByte(options.quote, 'quote');
  const escapeByte = singleByte(options.escape, 'escape');
  const distinctEscape = escapeByte !== undefined && escapeByte !== quote ? escapeByte : undefined;

  const ranges: RecordRange[] = [];
  let offset = 0;
  let inQuotes = false;
  let escaped = false;
  let headerBytes = 0;
  let awaitingHeader = options.header;
  let rangeStart = 0;
  let rangeRecords = 0;
  let recordsBefore = 0;
  let recordHasBytes = false;
  let newlines = 0;
  let rangeStartLine = 1;
  const headerPieces: Buffer[] = [];

  const startRangeAt = (start: number) => {
    rangeStart = start;
    // `start` follows the newline just counted, so it begins the next physical line.
    rangeStartLine = newlines + 1;
  };
  const closeRange = (end: number) => {
    if (rangeRecords > 0) {
      ranges.push({
        start: rangeStart,
        end,
        firstRecord: recordsBefore + 1,
        firstLine: rangeStartLine,
        records: rangeRecords,
      });
      recordsBefore += rangeRecords;
    }
    startRangeAt(end);
    rangeRecords = 0;
  };

  for await (const piece of stream) {
    const buffer: Buffer = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
    if (awaitingHeader) headerPieces.push(buffer);
    for (let i = 0; i < buffer.length; i++) {
      const byte = buffer[i];
      if (byte === NEWLINE) newlines++;
      if (escaped) {
        escaped = false;
        continue;
      }
      if (inQuotes && byte === distinctEscape) {
        escaped = true;
      } else if (byte === quote) {
        inQuotes = !inQuotes;
      } else if (byte === NEWLINE && !inQuotes) {
        const end = offset + i + 1;
        if (awaitingHeader) {
          awaitingHeader = false;
          headerBytes = end;
          startRangeAt(end);
        } else if (recordHasBytes) {
          rangeRecords++;
          if (end - rangeStart >= options.targetBytes) closeRange(end);
        } else {
          // A blank line: part of the range, not a record.
          if (rangeRecords === 0) startRangeAt(end);
        }
        recordHasBytes = false;
        continue;
      }
      if (byte !== 0x0d) recordHasBytes = true;
    }
    offset += buffer.length;
  }
  // A last record without a trailing newline.
  if (recordHasBytes) {
    if (awaitingHeader) headerBytes = offset;
    else rangeRecords++;
  }
  closeRange(offset);
  const header = Buffer.concat(headerPieces)
    .subarray(0, headerBytes)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return { headerBytes, header, ranges, totalBytes: offset };
}
