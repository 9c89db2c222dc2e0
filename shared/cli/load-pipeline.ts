/** Reads a pipeline file; a JSON syntax error is reported with its file, line and column. */
import { readFile } from 'node:fs/promises';
import { locateJsonError } from './json-error-position.ts';

export class PipelineFileError extends Error {
  override readonly name = 'PipelineFileError';
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
    const where = locateJsonError(text);
    if (where === undefined) throw error;
    throw new PipelineFileError(`${path}:${where.line}:${where.column}: invalid JSON: ${where.message}`);
  }
}
