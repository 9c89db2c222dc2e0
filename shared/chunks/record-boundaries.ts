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
const CARRIAGE_RETURN = 0x0d;

/** Whether bytes [from, to) hold anything but carriage returns (a record, not a blank line). */
function hasContent(buffer: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (buffer[at] !== CARRIAGE_RETURN) return true;
  return false;
}

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

  const endRecord = (end: number) => {
    if (awaitingHeader) {
      awaitingHeader = false;
      headerBytes = end;
      startRangeAt(end);
    } else if (recordHasBytes) {
      rangeRecords++;
      if (end - rangeStart >= options.targetBytes) closeRange(end);
    } else if (rangeRecords === 0) {
      // A blank line: part of the range, not a record.
      startRangeAt(end);
    }
    recordHasBytes = false;
  };

  // Jumps between the bytes that matter (newlines, quotes, escapes) with
  // Buffer.indexOf instead of visiting every byte: planning reads the whole
  // source, and a per-byte loop in JS cost more than DuckDB's whole parse.
  // Each next position is found once and kept until passed: a quoted field
  // and the record around it used to search for the same newline twice.
  for await (const piece of stream) {
    const buffer: Buffer = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
    if (awaitingHeader) headerPieces.push(buffer);
    const length = buffer.length;
    /** Where `byte` next occurs from `from`, or `length` when not in this piece. */
    const next = (byte: number | undefined, from: number) => {
      const at = byte === undefined ? -1 : buffer.indexOf(byte, from);
      return at === -1 ? length : at;
    };
    let nextNewline = next(NEWLINE, 0);
    let nextQuote = next(quote, 0);
    let nextEscape = next(distinctEscape, 0);
    let i = 0;
    while (i < length) {
      if (escaped) {
        if (buffer[i] === NEWLINE) newlines++;
        escaped = false;
        i++;
        continue;
      }
      if (nextNewline < i) nextNewline = next(NEWLINE, i);
      if (nextQuote < i) nextQuote = next(quote, i);
      if (nextEscape < i) nextEscape = next(distinctEscape, i);
      if (inQuotes) {
        const stop = Math.min(nextQuote, nextEscape);
        while (nextNewline < stop) {
          newlines++;
          nextNewline = next(NEWLINE, nextNewline + 1);
        }
        if (stop < length) {
          if (stop === nextEscape) escaped = true;
          else inQuotes = false;
        }
        i = stop + 1;
        continue;
      }
      const stop = Math.min(nextNewline, nextQuote);
      // A UTF-8 byte order mark opens the file, not a record: a line holding only it is blank.
      const bom = offset === 0 && i === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
      if (!recordHasBytes && hasContent(buffer, bom ? 3 : i, stop)) recordHasBytes = true;
      if (stop === length) break;
      if (stop === nextNewline) {
        newlines++;
        endRecord(offset + stop + 1);
      } else {
        inQuotes = true;
        recordHasBytes = true;
      }
      i = stop + 1;
    }
    offset += length;
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
