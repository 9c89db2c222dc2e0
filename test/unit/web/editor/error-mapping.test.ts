// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../../../web/src/api/types.ts';
import { mapValidationErrors, parsePointer } from '../../../../web/src/editor/error-mapping.ts';

const pipeline: PipelineDoc = {
  id: 'strikes',
  name: 'Strikes',
  nodes: [
    { id: 'read', type: 'extractor', module: 's3-csv', config: { bucket: 'examples' } },
    { id: 'keep', type: 'transformer', module: 'filter', config: {} },
    { id: 'write', type: 'loader', module: 's3-parquet', config: { bucket: 'curated' } },
  ],
  edges: [
    { source: 'read', target: 'keep' },
    { source: 'keep', target: 'write' },
  ],
};

describe('parsePointer', () => {
  it('unescapes ~1 and ~0 in RFC 6901 order', () => {
    expect(parsePointer('/nodes/0/config/columns/a~1b~0c')).toStrictEqual([
      'nodes',
      '0',
      'config',
      'columns',
      'a/b~c',
    ]);
  });

  it('reads the empty pointer as the whole document', () => {
    expect(parsePointer('')).toStrictEqual([]);
  });
});

describe('mapValidationErrors', () => {
  it('maps a config error to the node at that index and to the field within its config', () => {
    const mapped = mapValidationErrors(pipeline, [
      { pointer: '/nodes/1/config/expression', message: 'Required', code: 'config' },
    ]);

    expect([...mapped.nodes.keys()]).toStrictEqual(['keep']);
    expect(mapped.nodes.get('keep')?.config).toStrictEqual([{ pointer: '/expression', message: 'Required' }]);
    expect(mapped.nodes.get('keep')?.messages).toStrictEqual(['/config/expression: Required']);
    expect(mapped.pipeline).toStrictEqual([]);
  });

  it('keeps nested config pointers relative to the config object', () => {
    const mapped = mapValidationErrors(pipeline, [
      { pointer: '/nodes/2/config/partition_by/0', message: 'Too small' },
    ]);

    expect(mapped.nodes.get('write')?.config).toStrictEqual([
      { pointer: '/partition_by/0', message: 'Too small' },
    ]);
  });

  it('maps a whole-node error and a node field error to the node without a config pointer', () => {
    const mapped = mapValidationErrors(pipeline, [
      { pointer: '/nodes/0', message: 'extractor is unreachable' },
      { pointer: '/nodes/0/module', message: 'unknown module' },
    ]);

    const read = mapped.nodes.get('read');
    expect(read?.messages).toStrictEqual(['extractor is unreachable', '/module: unknown module']);
    expect(read?.config).toStrictEqual([]);
    expect(read?.fields.get('module')).toStrictEqual(['unknown module']);
  });

  it('maps /edges/<j> to the id of edge j', () => {
    const mapped = mapValidationErrors(pipeline, [{ pointer: '/edges/1/target', message: 'dangling edge' }]);

    expect(mapped.edges.get('keep->write')).toStrictEqual(['dangling edge']);
    expect(mapped.nodes.size).toBe(0);
  });

  it('accepts pointers into a PUT body ({ pipeline, expectedVersion })', () => {
    const mapped = mapValidationErrors(pipeline, [
      { pointer: '/pipeline/nodes/2/config/bucket', message: 'Too short' },
    ]);

    expect(mapped.nodes.get('write')?.config).toStrictEqual([{ pointer: '/bucket', message: 'Too short' }]);
  });

  it('leaves pipeline-level errors and out-of-range indices to the pipeline', () => {
    const mapped = mapValidationErrors(pipeline, [
      { pointer: '/schedule/cron', message: 'must be a 5-field cron expression' },
      { pointer: '/nodes/7/config', message: 'gone' },
      { pointer: '', message: 'no extractor' },
    ]);

    expect(mapped.pipeline.map((issue) => issue.pointer)).toStrictEqual([
      '/schedule/cron',
      '/nodes/7/config',
      '',
    ]);
    expect(mapped.nodes.size).toBe(0);
  });
});
