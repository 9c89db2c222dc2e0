// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../web/src/App.tsx';
import { takeTokenFromUrl } from '../../../web/src/auth/token-store.ts';

type Answer = { status: number; body: unknown };

/** A fake API: answers by method and path, records each call's Authorization header. */
function stubApi(answers: Record<string, Answer>) {
  const calls: { route: string; authorization: string | null }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const route = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
      calls.push({ route, authorization: new Headers(init.headers).get('Authorization') });
      const answer = answers[route] ?? { status: 404, body: { title: 'Not Found', status: 404 } };
      const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': type },
      });
    }),
  );
  return calls;
}

const PIPELINES: Answer = {
  status: 200,
  body: {
    items: [
      { id: 'strikes', name: 'Strikes', version: 2, updatedAt: '2026-11-25T10:00:00Z', updatedBy: 'alice' },
    ],
  },
};

beforeEach(() => {
  sessionStorage.clear();
  window.location.hash = '#/pipelines';
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('App', () => {
  it('signs in with a pasted token and shows a developer the create control', async () => {
    const calls = stubApi({
      'GET /api/me': { status: 200, body: { user: 'alice', org: 'acme', role: 'developer' } },
      'GET /api/pipelines': PIPELINES,
    });
    render(createElement(App, { config: { apiBase: '/api' } }));

    fireEvent.change(screen.getByLabelText('API token'), { target: { value: ' tok-dev \n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('link', { name: 'Strikes' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New pipeline' })).toBeTruthy();
    expect(screen.getByTestId('who').textContent).toBe('alice · acme · developer');
    expect(calls.every((call) => call.authorization === 'Bearer tok-dev')).toBe(true);
    expect(sessionStorage.getItem('etl.token')).toBe('tok-dev');
  });

  it('shows a viewer the pipelines without the create control', async () => {
    sessionStorage.setItem('etl.token', 'tok-viewer');
    stubApi({
      'GET /api/me': { status: 200, body: { user: 'bob', org: 'acme', role: 'viewer' } },
      'GET /api/pipelines': PIPELINES,
    });
    render(createElement(App, { config: { apiBase: '/api' } }));

    expect(await screen.findByRole('link', { name: 'Strikes' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New pipeline' })).toBeNull();
  });

  it('forgets a rejected token and shows why on the sign-in page', async () => {
    sessionStorage.setItem('etl.token', 'expired');
    stubApi({
      'GET /api/me': {
        status: 401,
        body: { title: 'Unauthorized', status: 401, detail: 'the token has expired' },
      },
    });
    render(createElement(App, { config: { apiBase: '/api' } }));

    expect((await screen.findByRole('alert')).textContent).toContain('the token has expired');
    expect(screen.getByLabelText('API token')).toBeTruthy();
    expect(sessionStorage.getItem('etl.token')).toBeNull();
  });
});

describe('takeTokenFromUrl', () => {
  it('stores ?token= once and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/?token=abc&x=1#/runs');

    takeTokenFromUrl();

    expect(sessionStorage.getItem('etl.token')).toBe('abc');
    expect(`${window.location.search}${window.location.hash}`).toBe('?x=1#/runs');
  });
});
