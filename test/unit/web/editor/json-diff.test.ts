import { describe, expect, it } from 'vitest';
import { diffJson } from '../../../../web/src/editor/json-diff.ts';

describe('diffJson', () => {
  it('matches nodes by id and edges by endpoints, not by position in the list', () => {
    const before = {
      nodes: [
        { id: 'read', config: { bucket: 'a' } },
        { id: 'keep', config: { expression: 'x > 1' } },
      ],
      edges: [{ source: 'read', target: 'keep' }],
    };
    const after = {
      nodes: [
        { id: 'keep', config: { expression: 'x > 2' } },
        { id: 'read', config: { bucket: 'a' } },
        { id: 'write', config: {} },
      ],
      edges: [
        { source: 'read', target: 'keep' },
        { source: 'keep', target: 'write' },
      ],
    };

    expect(diffJson(before, after)).toStrictEqual([
      { path: '/nodes[id=keep]/config/expression', kind: 'changed', before: 'x > 1', after: 'x > 2' },
      { path: '/nodes[id=write]', kind: 'added', after: { id: 'write', config: {} } },
      { path: '/edges[keep->write]', kind: 'added', after: { source: 'keep', target: 'write' } },
    ]);
  });

  it('reports removed keys and positional array changes', () => {
    expect(
      diffJson({ name: 'a', tags: ['x', 'y'], schedule: { cron: '0 3 * * *' } }, { name: 'b', tags: ['x'] }),
    ).toStrictEqual([
      { path: '/name', kind: 'changed', before: 'a', after: 'b' },
      { path: '/tags/1', kind: 'removed', before: 'y' },
      { path: '/schedule', kind: 'removed', before: { cron: '0 3 * * *' } },
    ]);
  });

  it('finds nothing between equal documents', () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toStrictEqual([]);
  });
});
