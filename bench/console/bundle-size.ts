/**
 * Production bundle of the console: builds web/ with Vite (unless
 * `--no-build`), then reports every chunk's raw and gzipped size and what the
 * first page load fetches. Fails (exit 1) when the main chunk is over 500 KB
 * gzipped. Writes bench/results/console-bundle.json.
 *
 *   npx tsx bench/console/bundle-size.ts [--no-build]
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'web/dist');
const RESULT = join(ROOT, 'bench/results/console-bundle.json');
const KB = 1024;
const MAIN_CHUNK_BUDGET = 500 * KB;

interface ChunkSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Fetched by index.html itself (entry script, its preloads, its CSS), before any lazy route. */
  readonly initial: boolean;
}

async function listAssets(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listAssets(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return files.flat().filter((file) => /\.(js|css)$/.test(file));
}

/** `src`/`href` of the scripts, preloads and stylesheets index.html references, relative to dist. */
function initialFiles(indexHtml: string): { entry: string; all: Set<string> } {
  const refs = [...indexHtml.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"[^>]*>/g)]
    .map((match) => match[1] ?? '')
    .filter((ref) => /\.(js|css)$/.test(ref))
    .map((ref) => ref.replace(/^\.?\//, ''));
  const entry = /<script\b[^>]*type="module"[^>]*\bsrc="([^"]+)"/.exec(indexHtml)?.[1]?.replace(/^\.?\//, '');
  if (!entry) throw new Error('web/dist/index.html has no module entry script: did the build run?');
  return { entry, all: new Set(refs) };
}

function kb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}

if (!process.argv.includes('--no-build')) {
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
}

const indexHtml = await readFile(join(DIST, 'index.html'), 'utf8');
const { entry, all } = initialFiles(indexHtml);
const chunks: ChunkSize[] = [];
for (const path of await listAssets(DIST)) {
  const file = relative(DIST, path);
  const content = await readFile(path);
  chunks.push({
    file,
    bytes: (await stat(path)).size,
    gzipBytes: gzipSync(content, { level: 9 }).length,
    initial: all.has(file),
  });
}
chunks.sort((a, b) => b.gzipBytes - a.gzipBytes);
const main = chunks.find((chunk) => chunk.file === entry);
if (!main) throw new Error(`the entry script ${entry} is not in web/dist`);
const initialGzip = chunks.filter((chunk) => chunk.initial).reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
const totalGzip = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);

console.log('chunk'.padEnd(48), 'raw'.padStart(10), 'gzip'.padStart(10), ' initial');
for (const chunk of chunks) {
  console.log(
    chunk.file.padEnd(48),
    kb(chunk.bytes).padStart(10),
    kb(chunk.gzipBytes).padStart(10),
    chunk.initial ? ' yes' : '',
  );
}
console.log(`main chunk ${main.file}: ${kb(main.gzipBytes)} gzipped (budget ${kb(MAIN_CHUNK_BUDGET)})`);
console.log(`first load: ${kb(initialGzip)} gzipped; all ${chunks.length} chunks: ${kb(totalGzip)} gzipped`);

await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeFile(
  RESULT,
  `${JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      gzipLevel: 9,
      mainChunk: {
        ...main,
        budgetGzipBytes: MAIN_CHUNK_BUDGET,
        withinBudget: main.gzipBytes <= MAIN_CHUNK_BUDGET,
      },
      initialLoadGzipBytes: initialGzip,
      totalGzipBytes: totalGzip,
      chunks,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${relative(ROOT, RESULT)}`);

if (main.gzipBytes > MAIN_CHUNK_BUDGET) {
  console.error(
    `main chunk ${main.file} is ${kb(main.gzipBytes)} gzipped, over the ${kb(MAIN_CHUNK_BUDGET)} budget`,
  );
  process.exitCode = 1;
}
