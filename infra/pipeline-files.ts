/**
 * Pipelines kept in git: `<dir>/*.json` and `<dir>/<name>/pipeline.json`
 * (the layout of examples/). Every file is validated before anything is
 * synthesized, and every problem of every file is reported at once.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readPipelineFile } from '../shared/cli/load-pipeline.ts';
import type { ModuleRegistry } from '../shared/modules/registry.ts';
import type { Pipeline } from '../shared/spec/schema.ts';
import { validatePipeline } from '../shared/spec/validate.ts';
import { pipelineIdOf } from '../statemachines/pipeline-id.ts';

export interface PipelineFile {
  /** Path relative to the folder read, for messages. */
  readonly file: string;
  readonly pipeline: Pipeline;
}

export class PipelineFilesError extends Error {
  override readonly name = 'PipelineFilesError';

  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem(s) in the pipelines to deploy:\n  ${problems.join('\n  ')}`);
  }
}

async function pipelinePaths(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const paths: string[] = [];
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.json')) paths.push(join(dir, entry.name));
    const nested = join(dir, entry.name, 'pipeline.json');
    if (entry.isDirectory() && existsSync(nested)) paths.push(nested);
  }
  return paths.sort();
}

/** Reads and validates every pipeline under `dir`; a missing folder means no pipelines. */
export async function loadPipelineFiles(dir: string, registry: ModuleRegistry): Promise<PipelineFile[]> {
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  const loaded: PipelineFile[] = [];
  for (const path of await pipelinePaths(dir)) {
    const file = relative(dir, path);
    try {
      const result = await validatePipeline(await readPipelineFile(path), registry);
      if (result.ok) loaded.push({ file, pipeline: result.pipeline });
      else
        problems.push(...result.errors.map((e) => `${file}: ${e.pointer || '/'} ${e.message} [${e.code}]`));
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const files = new Map<string, string>();
  for (const { file, pipeline } of loaded) {
    const id = pipelineIdOf(pipeline);
    const other = files.get(id);
    if (other !== undefined) problems.push(`${file}: pipeline id ${id} is also the id of ${other}`);
    files.set(id, file);
  }
  if (problems.length > 0) throw new PipelineFilesError(problems);
  return loaded;
}
