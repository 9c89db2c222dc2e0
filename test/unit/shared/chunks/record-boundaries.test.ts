import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type RecordRange,
  type RecordScan,
  type RecordScanOptions,
  scanRecordBoundaries,
} from '../../../../shared/chunks/record-boundaries.ts';
import { type CsvField, formatCsvRecord, parseCsv } from './csv-reference.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const BIRDSTRIKES = path.resolve(repoRoot, '../shared/data/vega/birdstrikes.csv');
const BIRDSTRIKES_HEADER =
  'Airport Name,Aircraft Make Model,Effect Amount of damage,Flight Date,Aircraft Airline Operator,' +
  'Origin State,Phase of flight,Wildlife Size,Wildlife Species,Time of day,Cost Other,Cost Repair,' +
  'Cost Total $,Speed IAS in knots';

const CSV: RecordScanOptions = { targetBytes: 1, quote: '"', header: true };

function scanText(text: string, options: RecordScanOptions = CSV): Promise<RecordScan> {
  return scanRecordBoundaries(Readable.from([Buffer.from(text)]), options);
}

/** The text of each range, to assert where the cuts fall. */
function rangeTexts(text: string, scan: RecordScan): string[] {
  const bytes = Buffer.from(text);
  return scan.ranges.map((range) => bytes.subarray(range.start, range.end).toString('utf8'));
}

function expectContiguous(scan: RecordScan): void {
  expect(scan.ranges[0]?.start).toBe(scan.headerBytes);
  expect(scan.ranges.at(-1)?.end).toBe(scan.totalBytes);
  scan.ranges.slice(1).forEach((range, i) => {
    expect(range.start).toBe(scan.ranges[i]?.end);
  });
}

describe('scanRecordBoundaries', () => {
  describe('on birdstrikes.csv', () => {
    it('cuts 256 KiB ranges that tile the file after the header and hold all 10,000 records', async () => {
      const bytes = await readFile(BIRDSTRIKES);

      const scan = await scanRecordBoundaries(createReadStream(BIRDSTRIKES), {
        targetBytes: 256 * 1024,
        quote: '"',
        header: true,
      });

      expect(scan.header).toBe(BIRDSTRIKES_HEADER);
      expect(scan.headerBytes).toBe(BIRDSTRIKES_HEADER.length + 2);
      expect(scan.totalBytes).toBe(bytes.length);
      expect(scan.ranges.length).toBeGreaterThanOrEqual(4);
      expectContiguous(scan);
      expect(scan.ranges.reduce((sum, range) => sum + range.records, 0)).toBe(10_000);
      let expectedFirst = 1;
      for (const range of scan.ranges) {
        expect(range.firstRecord).toBe(expectedFirst);
        expectedFirst += range.records;
        const records = parseCsv(bytes.subarray(range.start, range.end).toString('utf8'));
        expect(records).toHaveLength(range.records);
        expect(records.every((record) => record.length === 14)).toBe(true);
      }
      for (const range of scan.ranges.slice(0, -1)) {
        expect(range.end - range.start).toBeGreaterThanOrEqual(256 * 1024);
        expect(bytes[range.end - 1]).toBe(0x0a);
      }
    });

    it('finds the same boundaries whatever size the stream pieces are', async () => {
      const options = { targetBytes: 100_000, quote: '"', header: true };

      const large = await scanRecordBoundaries(createReadStream(BIRDSTRIKES), options);
      const small = await scanRecordBoundaries(
        createReadStream(BIRDSTRIKES, { highWaterMark: 997 }),
        options,
      );

      expect(small).toStrictEqual(large);
      expect(large.ranges.length).toBeGreaterThanOrEqual(12);
    });
  });

  describe('quoted fields', () => {
    it('never ends a record at a newline inside quotes, nor at a doubled quote', async () => {
      const text = 'id,note\n1,"two\nlines"\n2,"he said ""stop\n"" twice"\n3,plain\n';

      const scan = await scanText(text);

      expect(rangeTexts(text, scan)).toStrictEqual([
        '1,"two\nlines"\n',
        '2,"he said ""stop\n"" twice"\n',
        '3,plain\n',
      ]);
      expect(scan.ranges.map((range) => [range.firstRecord, range.records])).toStrictEqual([
        [1, 1],
        [2, 1],
        [3, 1],
      ]);
    });

    it('keeps a quoted newline in the header inside the header', async () => {
      const text = '"multi\nline",b\n1,2\n';

      const scan = await scanText(text);

      expect(scan.header).toBe('"multi\nline",b');
      expect(scan.headerBytes).toBe(15);
      expect(rangeTexts(text, scan)).toStrictEqual(['1,2\n']);
    });
  });

  describe('line endings', () => {
    it('cuts after the LF of CRLF and strips CRLF from the header', async () => {
      const text = 'h1,h2\r\na,1\r\nb,2\r\n';

      const scan = await scanText(text);

      expect(scan.header).toBe('h1,h2');
      expect(scan.headerBytes).toBe(7);
      expect(scan.ranges).toStrictEqual([
        { start: 7, end: 12, firstRecord: 1, firstLine: 2, records: 1 },
        { start: 12, end: 17, firstRecord: 2, firstLine: 3, records: 1 },
      ]);
    });

    it('counts a last record without a trailing newline', async () => {
      const text = 'h\na\nb';

      const scan = await scanText(text, { ...CSV, targetBytes: 1024 });

      expect(scan).toStrictEqual({
        headerBytes: 2,
        header: 'h',
        ranges: [{ start: 2, end: 5, firstRecord: 1, firstLine: 2, records: 2 }],
        totalBytes: 5,
      });
    });
  });

  describe('physical lines', () => {
    it('numbers a range by physical line when quoted fields hold newlines', async () => {
      const text = 'h\n"a\nb"\nc\n';

      const scan = await scanText(text, { ...CSV, targetBytes: 1 });

      expect(scan.ranges.map((range) => [range.firstRecord, range.firstLine])).toStrictEqual([
        [1, 2],
        [2, 4],
      ]);
    });
  });

  describe('blank lines', () => {
    it('counts blank lines as no record and starts no range on them', async () => {
      const text = 'h\n\n1\n\r\n\n2\n\n';

      const scan = await scanText(text);

      expect(scan.ranges).toStrictEqual([
        { start: 3, end: 5, firstRecord: 1, firstLine: 3, records: 1 },
        { start: 8, end: 10, firstRecord: 2, firstLine: 6, records: 1 },
      ]);
    });

    it('keeps blank lines between records inside a range', async () => {
      const text = 'h\n1\n\n2\n';

      const scan = await scanText(text, { ...CSV, targetBytes: 1024 });

      expect(scan.ranges).toStrictEqual([{ start: 2, end: 7, firstRecord: 1, firstLine: 2, records: 2 }]);
    });
  });

  describe('headers', () => {
    it('reports a header-only file with no ranges', async () => {
      expect(await scanText('a,b\n')).toStrictEqual({
        headerBytes: 4,
        header: 'a,b',
        ranges: [],
        totalBytes: 4,
      });
    });

    it('reports a header without a newline as the whole file', async () => {
      expect(await scanText('a,b')).toStrictEqual({
        headerBytes: 3,
        header: 'a,b',
        ranges: [],
        totalBytes: 3,
      });
    });

    it('reports an empty file as empty', async () => {
      expect(await scanText('')).toStrictEqual({ headerBytes: 0, header: '', ranges: [], totalBytes: 0 });
    });

    it('reads a header split across stream pieces, including a split character', async () => {
      const bytes = Buffer.from('näme,x\n1,2\n');
      const pieces = [bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)];

      const scan = await scanRecordBoundaries(Readable.from(pieces), CSV);

      expect(scan.header).toBe('näme,x');
      expect(scan.headerBytes).toBe(8);
      expect(scan.ranges).toStrictEqual([{ start: 8, end: 12, firstRecord: 1, firstLine: 2, records: 1 }]);
    });

    it('treats every record as data without a header', async () => {
      const scan = await scanText('a\nb\n', { ...CSV, header: false, targetBytes: 1024 });

      expect(scan).toStrictEqual({
        headerBytes: 0,
        header: '',
        ranges: [{ start: 0, end: 4, firstRecord: 1, firstLine: 1, records: 2 }],
        totalBytes: 4,
      });
    });
  });

  describe('target size', () => {
    it('ends a range at the first record boundary at or past the target', async () => {
      const text = 'h\naa\nbb\ncc\ndd\nee\n';

      const scan = await scanText(text, { ...CSV, targetBytes: 4 });

      expect(rangeTexts(text, scan)).toStrictEqual(['aa\nbb\n', 'cc\ndd\n', 'ee\n']);
      expect(scan.ranges.map((range) => range.firstRecord)).toStrictEqual([1, 3, 5]);
    });

    it('accepts string stream pieces', async () => {
      const scan = await scanRecordBoundaries(Readable.from(['h\n1', '\n2\n']), CSV);

      expect(scan.ranges).toStrictEqual([
        { start: 2, end: 4, firstRecord: 1, firstLine: 2, records: 1 },
        { start: 4, end: 6, firstRecord: 2, firstLine: 3, records: 1 },
      ]);
    });
  });

  describe('escape option', () => {
    const text = 'h\n"a\\"b\nc",1\nnext,2\n';

    it('keeps the quote open after a backslash-escaped quote', async () => {
      const scan = await scanText(text, { ...CSV, escape: '\\' });

      expect(rangeTexts(text, scan)).toStrictEqual(['"a\\"b\nc",1\n', 'next,2\n']);
    });

    it('closes the quote at the same byte without the escape option', async () => {
      const scan = await scanText(text);

      // Without an escape byte the `"` after the backslash ends the quoted field, so the newline splits.
      expect(rangeTexts(text, scan)).toStrictEqual(['"a\\"b\n', 'c",1\nnext,2\n']);
    });

    it('treats an escape byte outside quotes as data', async () => {
      const other = 'h\na\\\nb\n';

      const scan = await scanText(other, { ...CSV, escape: '\\' });

      expect(rangeTexts(other, scan)).toStrictEqual(['a\\\n', 'b\n']);
    });

    it('ignores an escape equal to the quote (doubled quotes need none)', async () => {
      const doubled = 'h\n"x""\ny",1\n';

      const scan = await scanText(doubled, { ...CSV, escape: '"' });

      expect(rangeTexts(doubled, scan)).toStrictEqual(['"x""\ny",1\n']);
    });

    it('fails when the quote is more than one byte', async () => {
      await expect(scanText('h\n', { ...CSV, quote: 'é' })).rejects.toThrow(
        new RangeError('quote must be one byte, got "é"'),
      );
    });

    it('fails when the escape is more than one byte', async () => {
      await expect(scanText('h\n', { ...CSV, escape: '\\\\' })).rejects.toThrow(RangeError);
    });
  });

  describe('NDJSON (no quote byte)', () => {
    it('ends a record at every newline, whatever quotes the JSON holds', async () => {
      const text = '{"a":"say \\"hi"}\n{"b":"\\""}\n{"c":3}\n';

      const scan = await scanText(text, { targetBytes: 1, header: false });

      expect(rangeTexts(text, scan)).toStrictEqual(['{"a":"say \\"hi"}\n', '{"b":"\\""}\n', '{"c":3}\n']);
      expect(scan.headerBytes).toBe(0);
    });
  });

  describe('generated RFC 4180 files', () => {
    const fieldValue = fc.string({
      unit: fc.constantFrom('a', 'b', 'z', ' ', ',', '"', '\n', '\r\n', 'é', '😀'),
      maxLength: 8,
    });
    const field: fc.Arbitrary<CsvField> = fc.record({ value: fieldValue, forceQuotes: fc.boolean() });
    const table = fc.integer({ min: 1, max: 4 }).chain((columns) => {
      const record = fc.array(field, { minLength: columns, maxLength: columns });
      return fc.record({
        header: fc.option(record, { nil: undefined }),
        rows: fc.array(record, { maxLength: 25 }),
        lineEnding: fc.constantFrom('\n', '\r\n'),
        trailingNewline: fc.boolean(),
        pieceSizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        targetBytes: fc.integer({ min: 1, max: 200 }),
      });
    });

    function pieces(bytes: Buffer, sizes: readonly number[]): Buffer[] {
      const result: Buffer[] = [];
      for (let at = 0, i = 0; at < bytes.length; i++) {
        const size = sizes[i % sizes.length] ?? 1;
        result.push(bytes.subarray(at, at + size));
        at += size;
      }
      return result;
    }

    /** Ranges as the doc describes them: each ends at the first record end at or past the target. */
    function expectedRanges(
      bytes: Buffer,
      start: number,
      recordBytes: readonly number[],
      targetBytes: number,
    ): RecordRange[] {
      // Physical line of a byte offset: one more than the newlines before it.
      const lineAt = (offset: number) => bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
      const ranges: RecordRange[] = [];
      let rangeStart = start;
      let end = start;
      let records = 0;
      let before = 0;
      for (const bytes of recordBytes) {
        end += bytes;
        records++;
        if (end - rangeStart >= targetBytes) {
          ranges.push({
            start: rangeStart,
            end,
            firstRecord: before + 1,
            firstLine: lineAt(rangeStart),
            records,
          });
          before += records;
          rangeStart = end;
          records = 0;
        }
      }
      if (records > 0) {
        ranges.push({
          start: rangeStart,
          end,
          firstRecord: before + 1,
          firstLine: lineAt(rangeStart),
          records,
        });
      }
      return ranges;
    }

    it('cuts ranges that each parse to exactly their own records, in order', async () => {
      await fc.assert(
        fc.asyncProperty(table, async (generated) => {
          const lines = [generated.header, ...generated.rows]
            .filter((record) => record !== undefined)
            .map(formatCsvRecord);
          const text = lines
            .map((line, i) =>
              i < lines.length - 1 || generated.trailingNewline ? line + generated.lineEnding : line,
            )
            .join('');
          const bytes = Buffer.from(text);
          const expectedRows = generated.rows.map((record) => record.map(({ value }) => value));

          const scan = await scanRecordBoundaries(Readable.from(pieces(bytes, generated.pieceSizes)), {
            targetBytes: generated.targetBytes,
            quote: '"',
            header: generated.header !== undefined,
          });

          expect(scan.totalBytes).toBe(bytes.length);
          if (generated.header === undefined) {
            expect(scan.headerBytes).toBe(0);
          } else {
            expect(scan.header).toBe(lines[0]);
            expect(parseCsv(bytes.subarray(0, scan.headerBytes).toString('utf8'))).toStrictEqual([
              generated.header.map(({ value }) => value),
            ]);
          }
          const all: string[][] = [];
          for (const range of scan.ranges) {
            const own = parseCsv(bytes.subarray(range.start, range.end).toString('utf8'));
            expect(own).toStrictEqual(
              expectedRows.slice(range.firstRecord - 1, range.firstRecord - 1 + range.records),
            );
            all.push(...own);
          }
          expect(all).toStrictEqual(expectedRows);
          const dataLines = generated.header === undefined ? lines : lines.slice(1);
          const recordBytes = dataLines.map(
            (line, i) =>
              Buffer.byteLength(line) +
              (i < dataLines.length - 1 || generated.trailingNewline ? generated.lineEnding.length : 0),
          );
          expect(scan.ranges).toStrictEqual(
            expectedRanges(bytes, scan.headerBytes, recordBytes, generated.targetBytes),
          );
        }),
        { numRuns: 400 },
      );
    });
  });
});
