/** A deliberately tiny RFC 4180 reader and writer, the oracle for the record-boundary tests. */

/** Records of `text`: `,` between fields, LF or CRLF between records, `""` for a quote inside quotes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
      started = true;
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      started = false;
    } else {
      field += char;
      started = true;
    }
  }
  if (started) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export interface CsvField {
  readonly value: string;
  /** Quote even when the value does not need it (RFC 4180 allows quoting any field). */
  readonly forceQuotes: boolean;
}

/** One record without its line ending; a lone empty field is quoted so the line is not blank. */
export function formatCsvRecord(fields: readonly CsvField[]): string {
  return fields
    .map(({ value, forceQuotes }) => {
      const needsQuotes = /[",\r\n]/.test(value) || (value === '' && fields.length === 1);
      return needsQuotes || forceQuotes ? `"${value.replaceAll('"', '""')}"` : value;
    })
    .join(',');
}
