/** Import and export of pipeline JSON files. */
import type { PipelineDoc } from '../api/types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the outline only: the API validates the rest and its errors are shown on the canvas. */
export function parsePipelineFile(text: string, fileName: string): PipelineDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(value)) throw new Error(`${fileName}: a pipeline is a JSON object`);
  if (!Array.isArray(value.nodes)) throw new Error(`${fileName}: /nodes must be an array of nodes`);
  if (value.edges !== undefined && !Array.isArray(value.edges))
    throw new Error(`${fileName}: /edges must be an array`);
  return {
    ...value,
    name: typeof value.name === 'string' ? value.name : '',
    edges: value.edges ?? [],
  } as PipelineDoc;
}

export function downloadPipeline(document: PipelineDoc): void {
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = `${document.id || 'pipeline'}.json`;
  link.click();
  // Revoke after the click has been handled; revoking synchronously can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
