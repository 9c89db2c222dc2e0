// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../../web/src/api/client.ts';
import type { RunDetail, RunStatus } from '../../../../web/src/api/types.ts';
import { type Session, SessionContext } from '../../../../web/src/auth/session.tsx';
import { RunControls } from '../../../../web/src/runs/RunControls.tsx';

function run(status: RunStatus): RunDetail {
  return {
    runId: 'r1',
    pipelineId: 'p',
    pipelineVersion: 1,
    pipelineName: 'P',
    status,
    trigger: 'manual',
    parameters: {},
    startedAt: '2026-11-25T10:00:00Z',
    nodes: [],
  };
}

function renderControls(status: RunStatus, role: 'developer' | 'viewer', answer: Response) {
  const fetch = vi.fn(async () => answer);
  vi.stubGlobal('fetch', fetch);
  const onChanged = vi.fn();
  const session: Session = {
    client: new ApiClient('/api', 'tok'),
    me: { user: 'alice', org: 'acme', role },
    canEdit: role !== 'viewer',
    signOut: () => {},
  };
  render(
    createElement(
      SessionContext.Provider,
      { value: session },
      createElement(RunControls, { run: run(status), onChanged }),
    ),
  );
  return { fetch, onChanged };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RunControls', () => {
  it('cancels a running run through the API and asks the view to refresh', async () => {
    const { fetch, onChanged } = renderControls(
      'running',
      'developer',
      Response.json(run('cancelled'), { status: 202 }),
    );

    expect(screen.queryByRole('button', { name: 'Redrive run' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel run' }));

    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(fetch).toHaveBeenCalledWith('/api/runs/r1/cancel', expect.objectContaining({ method: 'POST' }));
  });

  it('offers a redrive for a failed run and shows the problem the API answers', async () => {
    const problem = { title: 'Conflict', status: 409, detail: 'run r1 is already being redriven' };
    const { onChanged } = renderControls('failed', 'developer', Response.json(problem, { status: 409 }));

    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Redrive run' }));

    expect((await screen.findByRole('alert')).textContent).toContain('run r1 is already being redriven');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('shows a viewer no controls', () => {
    renderControls('running', 'viewer', Response.json({}));

    expect(screen.queryAllByRole('button')).toStrictEqual([]);
  });
});
