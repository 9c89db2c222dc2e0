/** Reads a pipeline file; a JSON syntax error is reported with its file, line and column. */
import { readFile } from 'node:fs/promises';

export class PipelineFileError extends Error {
  override readonly name = 'PipelineFileError';
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

export async function readPipelineFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PipelineFileError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    if (position === undefined) throw new PipelineFileError(`${path}: invalid JSON: ${message}`);
    const { line, column } = lineAndColumn(text, Number(position));
    throw new PipelineFileError(
      `${path}:${line}:${column}: invalid JSON: ${message.replace(/ in JSON at position.*$/, '')}`,
    );
  }
}
