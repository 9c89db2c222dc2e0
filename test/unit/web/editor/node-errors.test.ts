// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModuleInfo, PipelineDoc } from '../../../../web/src/api/types.ts';
import { mapValidationErrors } from '../../../../web/src/editor/error-mapping.ts';
import { graphFromDocument } from '../../../../web/src/editor/model.ts';
import { NodePanel } from '../../../../web/src/editor/NodePanel.tsx';

const filterModule: ModuleInfo = {
  name: 'filter',
  kind: 'transformer',
  description: 'Keeps the rows for which a SQL condition is TRUE',
  configSchema: {
    type: 'object',
    properties: { expression: { type: 'string', minLength: 1 } },
    required: ['expression'],
  },
  inputs: { min: 1, max: 1 },
  barrier: false,
};

const pipeline: PipelineDoc = {
  name: 'Strikes',
  nodes: [
    { id: 'read', type: 'extractor', module: 's3-csv', config: { bucket: 'examples' } },
    { id: 'keep', type: 'transformer', module: 'filter', config: {} },
  ],
  edges: [{ source: 'read', target: 'keep' }],
};

afterEach(cleanup);

function renderPanel(nodeIndex: number, errors = mapValidationErrors(pipeline, [])) {
  const node = graphFromDocument(pipeline).nodes[nodeIndex];
  if (!node) throw new Error(`no node ${nodeIndex}`);
  render(
    createElement(NodePanel, {
      node,
      module: filterModule,
      errors: errors.nodes.get(node.id),
      takenIds: new Set(['read', 'keep']),
      readOnly: false,
      inputs: null,
      onChange: () => {},
      onRename: () => {},
      onRemove: () => {},
    }),
  );
}

describe('NodePanel with validation errors from the API', () => {
  it('shows a config error on the field its pointer names, and node errors above the form', () => {
    const errors = mapValidationErrors(pipeline, [
      { pointer: '/nodes/1/config/expression', message: 'missing required field "expression" (string)' },
      { pointer: '/nodes/1', message: 'keep feeds no loader' },
      { pointer: '/nodes/1/id', message: 'id is reserved' },
    ]);

    renderPanel(1, errors);

    const expression = screen.getByLabelText(/^expression/);
    expect(expression.getAttribute('aria-invalid')).toBe('true');
    expect(expression.getAttribute('aria-describedby')).toContain('-errors');
    expect(screen.getByText('missing required field "expression" (string)')).toBeTruthy();
    expect(
      within(screen.getByRole('list', { name: 'Node errors' })).getByText('keep feeds no loader'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Node id').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('id is reserved')).toBeTruthy();
  });

  it('shows nothing on a node the errors are not about', () => {
    const errors = mapValidationErrors(pipeline, [
      { pointer: '/nodes/1/config/expression', message: 'missing required field "expression" (string)' },
    ]);

    renderPanel(0, errors);

    expect(screen.queryByText(/missing required field/)).toBeNull();
    expect(screen.queryByRole('list', { name: 'Node errors' })).toBeNull();
    expect(screen.getByLabelText(/^expression/).getAttribute('aria-invalid')).toBeNull();
  });
});
