// @vitest-environment jsdom
/** Barrier nodes are marked on the palette and the canvas, config-dependent ones once validation names them. */
import { cleanup, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModuleInfo } from '../../../../web/src/api/types.ts';
import { barrierNodes, DecorationsContext } from '../../../../web/src/editor/decorations.ts';
import { BARRIER_HINT, ModuleNode } from '../../../../web/src/editor/ModuleNode.tsx';
import { Palette } from '../../../../web/src/editor/Palette.tsx';

const module = (name: string, barrier: boolean): ModuleInfo => ({
  name,
  kind: 'transformer',
  description: `${name} rows`,
  configSchema: { type: 'object' },
  inputs: { min: 1, max: 1 },
  barrier,
});
const MODULES = new Map([
  ['filter', module('filter', false)],
  ['dedup', module('dedup', true)],
  ['validate', module('validate', false)],
]);
const node = (id: string, moduleName: string) => ({ id, data: { module: moduleName } });

afterEach(cleanup);

describe('barrierNodes', () => {
  it('marks nodes of barrier modules, and the nodes the last validation named', () => {
    const nodes = [node('keep', 'filter'), node('latest', 'dedup'), node('checked', 'validate')];

    expect([...barrierNodes(nodes, MODULES, [])]).toStrictEqual(['latest']);
    // validate is a barrier only with a unique rule: the API says which nodes have one.
    expect([...barrierNodes(nodes, MODULES, ['checked'])]).toStrictEqual(['latest', 'checked']);
  });
});

function renderNode(id: string, barriers: ReadonlySet<string>) {
  const props = {
    id,
    data: { module: 'validate', kind: 'transformer' },
    selected: false,
  } as unknown as Parameters<typeof ModuleNode>[0];
  render(
    createElement(
      ReactFlowProvider,
      null,
      createElement(
        DecorationsContext.Provider,
        { value: { errors: new Map(), runs: new Map(), barriers } },
        createElement(ModuleNode, props),
      ),
    ),
  );
  return screen.getByTestId(`node-${id}`);
}

describe('ModuleNode', () => {
  it('tags a barrier node and explains what a barrier does', () => {
    const marked = renderNode('checked', new Set(['checked']));

    expect(marked.getAttribute('data-barrier')).toBe('true');
    expect(screen.getByText('barrier').getAttribute('title')).toBe(BARRIER_HINT);
  });

  it('leaves a chunk-local node untagged', () => {
    const plain = renderNode('checked', new Set(['other']));

    expect(plain.hasAttribute('data-barrier')).toBe(false);
    expect(screen.queryByText('barrier')).toBeNull();
  });
});

describe('Palette', () => {
  it('tags the modules whose every node ends a stage', () => {
    render(createElement(Palette, { modules: [...MODULES.values()], onAdd: () => {} }));

    const dedup = screen.getByRole('button', { name: 'Add dedup transformer' });
    expect(dedup.textContent).toBe('dedupbarrier');
    expect(dedup.getAttribute('title')).toContain(BARRIER_HINT);
    expect(screen.getByRole('button', { name: 'Add filter transformer' }).textContent).toBe('filter');
  });
});
