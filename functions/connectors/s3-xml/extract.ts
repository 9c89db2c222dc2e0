/**
 * Extracts one XML document: every element at `record_path` is a record,
 * its attributes and child elements the fields (nested elements kept as
 * structs). Values are read as text and each column typed by what all its
 * values convert to (record-files/string-types.ts), so one column never
 * mixes numbers and strings. A malformed document fails with its line and column.
 */
import { readFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { DataError } from '../../../shared/errors.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { downloadFileChunk } from '../record-files/download-chunk.ts';
import { recordsToParquet, type SourceRecord } from '../record-files/write-records.ts';
import type { S3XmlConfig } from './config.ts';

const TEXT = '#text';

function parser(config: S3XmlConfig): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: config.attribute_prefix,
    textNodeName: TEXT,
    parseTagValue: false,
    parseAttributeValue: false,
    // A document with one record still gives an array at the record path.
    isArray: (_name, jpath) => jpath === config.record_path,
  });
}

/** A record element as a row: an element holding only text becomes `{ "#text": value }`. */
function toRecord(element: unknown): SourceRecord {
  if (element !== null && typeof element === 'object' && !Array.isArray(element))
    return element as SourceRecord;
  return { [TEXT]: element === '' ? null : element };
}

function recordsAt(document: unknown, path: string, source: string): SourceRecord[] {
  let node: unknown = document;
  for (const name of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(name in node)) {
      throw new DataError(`${source} has no element at ${path} (missing ${name})`);
    }
    node = (node as Record<string, unknown>)[name];
  }
  return (Array.isArray(node) ? node : [node]).map(toRecord);
}

export async function extractXml(
  config: S3XmlConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const { source, path } = await downloadFileChunk(config.bucket, descriptor, io, 'document.xml');
  const text = await readFile(path, 'utf8');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new DataError(`${source} line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  const records = recordsAt(parser(config).parse(text), config.record_path, source);
  const where = `${source} elements ${config.record_path}`;
  const { rowsIn, rowsOut } = await recordsToParquet(records, io, where, { typeText: true });
  return { rowsIn, rowsOut, rowsRejected: 0 };
}
