import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderModuleTable, replaceModuleTable } from '../../../../shared/docs/module-table.ts';
import { registry } from '../../../../shared/modules/registry.ts';

describe('the README module table', () => {
  it('is the one generated from the registry (run `npm run docs` after changing a module)', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');

    expect(readme).toContain(renderModuleTable(registry));
  });

  it('lists every module with its required config fields starred', () => {
    const table = renderModuleTable(registry);

    for (const module of registry.list()) expect(table).toContain(`| \`${module.name}\` | ${module.kind} |`);
    expect(table).toContain('`bucket`*, `prefix`');
  });

  it('fails when the README has no markers', () => {
    expect(() => replaceModuleTable('# no table here', 'x')).toThrow('no module table markers');
  });
});
