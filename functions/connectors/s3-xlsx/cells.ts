/**
 * Excel cell values as JSON values: formulas give their cached result, rich
 * text its plain text, hyperlinks their text, dates an ISO timestamp, error
 * cells their code (`#N/A`), so nothing is dropped silently.
 */
import type { CellValue } from 'exceljs';

export function cellToJson(value: CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return value;
  if ('formula' in value || 'sharedFormula' in value) {
    return cellToJson((value as { result?: CellValue }).result ?? null);
  }
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return cellToJson((value as { text: CellValue }).text);
  if ('error' in value) return value.error;
  return JSON.stringify(value);
}
