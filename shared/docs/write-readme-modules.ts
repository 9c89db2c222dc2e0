/** `npm run docs`: regenerates the module table in README.md from the registry. */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { registry } from '../modules/registry.ts';
import { renderModuleTable, replaceModuleTable } from './module-table.ts';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
const readme = await readFile(readmePath, 'utf8');
await writeFile(readmePath, replaceModuleTable(readme, renderModuleTable(registry)));
console.log(`updated the module table in ${readmePath}`);
