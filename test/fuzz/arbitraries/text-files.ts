/**
 * Generated CSV and NDJSON files, hostile in the ways real exports are (BOMs,
 * mixed CRLF, blank lines, ragged rows, invalid UTF-8, huge fields), each
 * with its own reference count of records: the generator knows what it wrote,
 * so the count does not come from the parser under test.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Continuation and lead bytes that never form UTF-8 and never look like a quote, delimiter or newline. */
const INVALID_UTF8 = [
  Buffer.from([0xff]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0x80]),
];

export interface GeneratedFile {
  readonly bytes: Buffer;
  /** Data records written (header and blank lines excluded). */
  readonly records: number;
}

/** Counterexamples printed readably: bytes outside ASCII as `\xNN`, long runs of one byte shortened (`x{600000}`). */
function describeBytes(bytes: Buffer): string {
  const escaped = [...bytes.toString('latin1')]
    .map((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || code >= 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
    })
    .join('');
  return escaped.replace(/(.)\1{19,}/g, (run, char: string) => `${char}{${run.length}}`);
}

function withShortDescription<T extends GeneratedFile>(file: T): T {
  // Lazy: only a counterexample is ever printed.
  return Object.assign(file, {
    [fc.toStringMethod]: () => `{ records: ${file.records}, bytes: "${describeBytes(file.bytes)}" }`,
  });
}

export interface CsvFile extends GeneratedFile {
  readonly header: boolean;
  readonly delimiter: string;
}

export interface NdjsonFile extends GeneratedFile {
  /** Some record has a field the first record lacks (schema drift within the file). */
  readonly extraFields: boolean;
  /** Some record holds bytes that are not UTF-8. */
  readonly invalidUtf8: boolean;
}

const lineEnding = fc.constantFrom('\n', '\r\n');

/** A field's content: text, raw bytes or both; huge ones are rare (they cost seconds each). */
const fieldBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map((n) => Buffer.from(String(n))), weight: 6 },
  {
    arbitrary: fc.constantFrom('alpha', 'Zürich', '日本', '', ' ', 'NULL').map((t) => Buffer.from(t)),
    weight: 5,
  },
  { arbitrary: fc.string({ maxLength: 12, unit: 'grapheme' }).map((t) => Buffer.from(t)), weight: 4 },
  // A newline inside quotes is written with the file's own line ending (`\n` here, swapped per file).
  {
    arbitrary: fc.constantFrom('a,b', 'say "hi"', 'two\nlines', ';|\t').map((t) => Buffer.from(t)),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...INVALID_UTF8), fc.constantFrom('x', 'bad'))
      .map(([bad, text]) => Buffer.concat([Buffer.from(text), bad])),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(70_000, 600_000).map((size) => Buffer.alloc(size, 0x78)), weight: 1 },
);

interface CsvRow {
  readonly blank: boolean;
  readonly fields: readonly Buffer[];
  readonly quoteAll: boolean;
}

function csvField(value: Buffer, delimiter: string, forceQuote: boolean): Buffer {
  const text = value.toString('latin1');
  const needsQuotes = forceQuote || /["\r\n]/.test(text) || text.includes(delimiter);
  if (!needsQuotes) return value;
  // Doubling works on raw bytes: 0x22 is never part of a multi-byte UTF-8 sequence.
  return Buffer.concat([
    Buffer.from('"'),
    Buffer.from(text.replaceAll('"', '""'), 'latin1'),
    Buffer.from('"'),
  ]);
}

function csvLine(fields: readonly Buffer[], delimiter: string, quoteAll: boolean, ending: string): Buffer {
  const parts = fields.map((field) =>
    csvField(Buffer.from(field.toString('latin1').replaceAll('\n', ending), 'latin1'), delimiter, quoteAll),
  );
  // An empty line would be a blank line, not a one-field record: quote the lone empty field.
  if (parts.length === 1 && parts[0]?.length === 0) return Buffer.from('""');
  const joined: Buffer[] = [];
  parts.forEach((part, index) => {
    if (index > 0) joined.push(Buffer.from(delimiter));
    joined.push(part);
  });
  return Buffer.concat(joined);
}

export const csvFileArbitrary: fc.Arbitrary<CsvFile> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    header: fc.boolean(),
    quoteHeader: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    bom: fc.boolean(),
    // One line ending per file, inside quotes too: DuckDB cannot sniff or read a CSV mixing LF and CRLF (reported apart).
    ending: lineEnding,
    finalNewline: fc.boolean(),
    rows: fc.array(
      fc.record({
        // At least one field: a row of none would be a blank line, not a record.
        fields: fc.array(fieldBytes, { minLength: 1, maxLength: 7 }),
        quoteAll: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
    blanks: fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
    ragged: fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
  })
  .map(({ columns, header, quoteHeader, delimiter, bom, ending, finalNewline, rows, blanks, ragged }) => {
    // Most rows have exactly `columns` fields; the rows listed in `ragged` keep their random width.
    // Ragged rows of one field would make a file DuckDB sees as one column, where blank lines count (see below).
    const width = (row: { fields: readonly Buffer[] }, index: number) =>
      ragged.includes(index) ? Math.max(row.fields.length, Math.min(columns, 2)) : columns;
    const shaped: CsvRow[] = rows.map((row, index) => ({
      ...row,
      blank: false,
      fields: Array.from({ length: width(row, index) }, (_, i) => row.fields[i] ?? Buffer.alloc(0)),
    }));
    // In a one-column file DuckDB reads a blank line as a NULL record (reported apart): blanks need two columns.
    for (const at of columns > 1 ? blanks : []) {
      shaped.splice(Math.min(at, shaped.length), 0, { blank: true, fields: [], quoteAll: false });
    }
    const pieces: Buffer[] = [];
    if (bom) pieces.push(BOM);
    if (header) {
      const names = Array.from({ length: columns }, (_, i) => Buffer.from(`col ${i}`));
      // Quoted names too, as spreadsheet exports write them (after a BOM, they once fooled the sniffer).
      pieces.push(csvLine(names, delimiter, quoteHeader, ending), Buffer.from(ending));
    }
    shaped.forEach((row, index) => {
      if (!row.blank) pieces.push(csvLine(row.fields, delimiter, row.quoteAll, ending));
      if (index < shaped.length - 1 || finalNewline) pieces.push(Buffer.from(ending));
    });
    const records = shaped.filter((row) => !row.blank).length;
    return withShortDescription({ bytes: Buffer.concat(pieces), records, header, delimiter });
  });

type JsonType = 'int' | 'text' | 'bool' | 'float' | 'object';

const jsonValue: Record<JsonType, fc.Arbitrary<unknown>> = {
  int: fc.integer({ min: -1e9, max: 1e9 }),
  text: fc.oneof(
    { arbitrary: fc.string({ maxLength: 16, unit: 'grapheme' }), weight: 8 },
    { arbitrary: fc.constantFrom(70_000, 600_000).map((size) => 'y'.repeat(size)), weight: 1 },
  ),
  bool: fc.boolean(),
  float: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  object: fc.record({ k: fc.integer(), v: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) }),
};

interface JsonLine {
  readonly blank: boolean;
  /** Fields present, by index into the file's fields; absent ones are ragged. */
  readonly present: readonly boolean[];
  readonly values: readonly unknown[];
  readonly nullAt: number;
  readonly invalidUtf8: boolean;
  readonly ending: string;
}

const MARKER = 'INVALID-UTF8-MARKER';

/** The record's JSON, with the marker string's content replaced by bytes that are not UTF-8. */
function jsonRecordBytes(record: Record<string, unknown>): Buffer {
  const [before, after] = JSON.stringify(record).split(MARKER);
  if (after === undefined) return Buffer.from(before ?? '');
  const bad = INVALID_UTF8[(before ?? '').length % INVALID_UTF8.length] ?? Buffer.from([0xff]);
  return Buffer.concat([Buffer.from(before ?? ''), bad, Buffer.from(after)]);
}

export const ndjsonFileArbitrary: fc.Arbitrary<NdjsonFile> = fc
  .record({
    types: fc.array(fc.constantFrom<JsonType>('int', 'text', 'bool', 'float', 'object'), {
      minLength: 1,
      maxLength: 5,
    }),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
    extraAt: fc.option(fc.nat({ max: 30 }), { freq: 4 }),
    lines: fc.array(
      fc.record({
        present: fc.array(fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, fc.constant(false)), {
          minLength: 5,
          maxLength: 5,
        }),
        nullAt: fc.integer({ min: -1, max: 8 }),
        invalidUtf8: fc.oneof({ arbitrary: fc.constant(false), weight: 12 }, fc.constant(true)),
        ending: lineEnding,
      }),
      { maxLength: 40 },
    ),
    blanks: fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
  })
  .chain(({ types, lines, ...rest }) =>
    fc
      .tuple(...lines.map(() => fc.tuple(...types.map((type) => jsonValue[type]))))
      .map((values) => ({ types, lines, values, ...rest })),
  )
  .map(({ types, lines, values, bom, finalNewline, extraAt, blanks }) => {
    const shaped: JsonLine[] = lines.map((line, index) => ({
      blank: false,
      present: line.present,
      values: values[index] ?? [],
      nullAt: line.nullAt,
      invalidUtf8: line.invalidUtf8,
      ending: line.ending,
    }));
    for (const at of blanks) {
      shaped.splice(Math.min(at, shaped.length), 0, {
        blank: true,
        present: [],
        values: [],
        nullAt: -1,
        invalidUtf8: false,
        ending: '\n',
      });
    }
    const records = shaped.filter((line) => !line.blank);
    const extraRecord =
      extraAt === null || records.length === 0 ? undefined : records[extraAt % records.length];
    const pieces: Buffer[] = bom ? [BOM] : [];
    let firstKeys: Set<string> | undefined;
    let drifts = false;
    shaped.forEach((line, index) => {
      if (!line.blank) {
        const record: Record<string, unknown> = {};
        types.forEach((type, field) => {
          if (line.present[field] === false) return;
          record[`f${field}`] = field === line.nullAt ? null : line.values[field];
          // Invalid bytes go inside a text value, where they break encoding but not JSON syntax.
          if (line.invalidUtf8 && type === 'text' && field !== line.nullAt) record[`f${field}`] = MARKER;
        });
        if (line === extraRecord) record.surprise = 'new field';
        // Drift is planned from a file's first chunk: a field its first record lacks may be new later.
        firstKeys ??= new Set(Object.keys(record));
        if (Object.keys(record).some((key) => !firstKeys?.has(key))) drifts = true;
        pieces.push(jsonRecordBytes(record));
      }
      if (index < shaped.length - 1 || finalNewline) pieces.push(Buffer.from(line.ending));
    });
    return withShortDescription({
      bytes: Buffer.concat(pieces),
      records: records.length,
      extraFields: drifts,
      invalidUtf8: pieces.some((piece) => !isUtf8(piece)),
    });
  });
