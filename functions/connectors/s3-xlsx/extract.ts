import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { ChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { ConfigError, DataError } from '../../../shared/errors.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { downloadFileChunk } from '../record-files/download-chunk.ts';
import { recordsToParquet, type SourceRecord } from '../record-files/write-records.ts';
import { cellToJson } from './cells.ts';
import type { S3XlsxConfig } from './config.ts';

function pickSheet(
  workbook: ExcelJS.Workbook,
  sheet: string | number | undefined,
  source: string,
): ExcelJS.Worksheet {
  const names = workbook.worksheets.map((worksheet) => worksheet.name);
  const found =
    typeof sheet === 'string'
      ? workbook.worksheets.find((worksheet) => worksheet.name === sheet)
      : workbook.worksheets[(sheet ?? 1) - 1];
  if (found === undefined) {
    throw new ConfigError(
      `${source} has no sheet ${JSON.stringify(sheet ?? 1)}; its sheets: ${names.join(', ')}`,
    );
  }
  return found;
}

function headerNames(worksheet: ExcelJS.Worksheet, headerRow: number, where: string): Map<number, string> {
  const names = new Map<number, string>();
  const seen = new Set<string>();
  worksheet.getRow(headerRow).eachCell((cell, column) => {
    const name = String(cellToJson(cell.value) ?? '').trim();
    if (name === '') return;
    if (seen.has(name))
      throw new DataError(`${where}, cell ${cell.address}: column name ${JSON.stringify(name)} repeats`);
    seen.add(name);
    names.set(column, name);
  });
  if (names.size === 0) throw new DataError(`${where}: header row ${headerRow} is empty`);
  return names;
}

function* sheetRecords(
  worksheet: ExcelJS.Worksheet,
  headerRow: number,
  where: string,
): Generator<SourceRecord> {
  const names = headerNames(worksheet, headerRow, where);
  for (let number = headerRow + 1; number <= worksheet.rowCount; number++) {
    const row = worksheet.getRow(number);
    if (!row.hasValues) continue;
    const record: Record<string, unknown> = Object.fromEntries(
      [...names.values()].map((name) => [name, null]),
    );
    row.eachCell((cell, column) => {
      const name = names.get(column);
      const value = cellToJson(cell.value);
      if (name === undefined) {
        if (value !== null && value !== '') {
          throw new DataError(
            `${where}, cell ${cell.address}: a value in a column without a header (row ${headerRow})`,
          );
        }
        return;
      }
      record[name] = value;
    });
    yield record;
  }
}

export async function extractXlsx(
  config: S3XlsxConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const { source, path } = await downloadFileChunk(config.bucket, descriptor, io, 'workbook.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path).catch((error: unknown) => {
    throw new DataError(
      `${source} is not an Excel workbook: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const worksheet = pickSheet(workbook, config.sheet, source);
  const where = `${source}, sheet ${JSON.stringify(worksheet.name)}`;
  const { rowsIn, rowsOut } = await recordsToParquet(
    sheetRecords(worksheet, config.header_row, where),
    io,
    where,
  );
  return { rowsIn, rowsOut, rowsRejected: 0 };
}
