/**
 * Measures of one Lambda bundle: bytes on disk, bytes as the zip CDK uploads,
 * and the time a fresh Node process takes to import it (the part of a cold
 * start the code controls).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';

const run = promisify(execFile);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function unzippedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await filesUnder(dir)) total += (await stat(file)).size;
  return total;
}

/**
 * Size of the directory zipped as cdk-assets does (deflate, level 9): each
 * entry's compressed bytes plus its local header (30 B + name) and central
 * directory record (46 B + name), plus the end record (22 B).
 */
export async function zippedBytes(dir: string): Promise<number> {
  let total = 22;
  for (const file of await filesUnder(dir)) {
    const name = Buffer.byteLength(relative(dir, file));
    const compressed = deflateRawSync(await readFile(file), { level: 9 }).length;
    total += compressed + 30 + name + 46 + name;
  }
  return total;
}

export interface ColdImportOptions {
  /** Folder of the bundle (`index.mjs`). */
  readonly bundleDir: string;
  /** Where layers would be mounted (Lambda's /opt/nodejs/node_modules), if any. */
  readonly nodePath?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly rounds: number;
}

/** Milliseconds to `import()` the bundle, one fresh process per round, copied out of the repo first. */
export async function coldImportMs(options: ColdImportOptions): Promise<number[]> {
  // Outside the repository, so no stray node_modules can satisfy a require the bundle missed.
  const task = await mkdtemp(join(tmpdir(), 'etl-bundle-'));
  try {
    await cp(options.bundleDir, task, { recursive: true });
    const url = pathToFileURL(join(task, 'index.mjs')).href;
    const script = [
      'const started = performance.now();',
      `const bundle = await import(${JSON.stringify(url)});`,
      "if (typeof bundle.handler !== 'function') throw new Error('no handler export');",
      'process.stdout.write(String(performance.now() - started));',
    ].join('\n');
    const times: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: task,
        env: {
          PATH: process.env.PATH ?? '',
          ...options.environment,
          ...(options.nodePath ? { NODE_PATH: options.nodePath } : {}),
        },
      });
      times.push(Number(stdout));
    }
    return times;
  } finally {
    await rm(task, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
