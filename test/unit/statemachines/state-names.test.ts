import { describe, expect, it } from 'vitest';
import { nodeIdOfStateName, stateNamesForNode } from '../../../statemachines/state-names.ts';

describe('stateNamesForNode', () => {
  it('lists the Task states that invoke each kind of node', () => {
    expect(stateNamesForNode({ id: 'src', type: 'extractor' })).toStrictEqual(['Plan src', 'src']);
    expect(stateNamesForNode({ id: 'keep', type: 'transformer' })).toStrictEqual(['keep']);
    expect(stateNamesForNode({ id: 'sink', type: 'loader' })).toStrictEqual(['sink', 'Commit sink']);
  });
});

describe('nodeIdOfStateName', () => {
  it('maps states back to their node', () => {
    expect(
      ['Plan src', 'Process src', 'src', 'Fork keep', 'Commit sink', 'Chain src', 'Chain src [d]'].map(
        nodeIdOfStateName,
      ),
    ).toStrictEqual(['src', 'src', 'src', 'keep', 'sink', 'src', 'src']);
  });

  it('returns undefined for the frame states', () => {
    expect(['Init', 'Stages', 'Finalize', 'OnFailure', 'Failed'].map(nodeIdOfStateName)).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
