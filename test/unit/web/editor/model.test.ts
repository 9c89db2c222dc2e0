import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../../../web/src/api/types.ts';
import {
  documentFromGraph,
  graphFromDocument,
  nextNodeId,
  renameNode,
} from '../../../../web/src/editor/model.ts';

const pipeline: PipelineDoc = {
  id: 'strikes',
  name: 'Strikes',
  nodes: [
    {
      id: 'read',
      type: 'extractor',
      module: 's3-csv',
      config: { bucket: 'examples' },
      position: { x: 0, y: 100 },
    },
    { id: 'write', type: 'loader', module: 's3-parquet', config: { bucket: 'curated' } },
  ],
  edges: [{ source: 'read', target: 'write' }],
  execution: { max_concurrency: 4 },
};

describe('graphFromDocument and documentFromGraph', () => {
  it('round-trip a document, keeping fields the editor does not touch and giving every node a position', () => {
    const document = documentFromGraph(graphFromDocument(pipeline));

    expect(document).toStrictEqual({
      ...pipeline,
      nodes: [pipeline.nodes[0], { ...pipeline.nodes[1], position: { x: 220, y: 100 } }],
    });
  });
});

describe('nextNodeId', () => {
  it('derives a valid identifier from the module name that no node has yet', () => {
    expect(nextNodeId('s3-csv', new Set(['s3_csv_1']))).toBe('s3_csv_2');
    expect(nextNodeId('3rd-party', new Set())).toBe('n_3rd_party_1');
  });
});

describe('renameNode', () => {
  it('renames the node and every edge that references it', () => {
    const renamed = documentFromGraph(renameNode(graphFromDocument(pipeline), 'read', 'strikes'));

    expect(renamed.nodes.map((node) => node.id)).toStrictEqual(['strikes', 'write']);
    expect(renamed.edges).toStrictEqual([{ source: 'strikes', target: 'write' }]);
  });
});
