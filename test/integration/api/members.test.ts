/**
 * Members through real HTTP against `etl serve`: add, list (paged), change a
 * role, remove; the last admin kept; every write in the audit trail; another
 * organization sees none of it. Every response checked against the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './api-client.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

let fixture: ServeFixture;
let admin: ApiClient;

const put = (client: ApiClient, userId: string, body: Record<string, unknown>) =>
  client.call('PUT', '/members/{userId}', { params: { userId }, body });

beforeAll(async () => {
  fixture = await startServeFixture({ triggers: false });
  admin = await fixture.client('admin');
});
afterAll(() => fixture.close());

describe('members', () => {
  it('adds, changes the role of, lists and removes members, auditing every write', async () => {
    const added = await put(admin, 'bob', { role: 'developer', email: 'bob@example.com' });
    expect(added.status).toBe(201);
    expect(added.body).toStrictEqual({
      userId: 'bob',
      email: 'bob@example.com',
      role: 'developer',
      addedAt: expect.any(String),
      addedBy: 'admin-user',
    });

    const changed = await put(admin, 'bob', { role: 'viewer' });
    expect(changed.status).toBe(200);
    // The email and who added bob, when, are kept.
    expect(changed.body).toStrictEqual({ ...added.body, role: 'viewer' });

    expect((await put(admin, 'carol', { role: 'admin' })).status).toBe(201);
    const listed = await admin.call('GET', '/members');
    expect(listed.body.items.map((member: { userId: string }) => member.userId)).toStrictEqual([
      'bob',
      'carol',
    ]);

    expect((await admin.call('DELETE', '/members/{userId}', { params: { userId: 'bob' } })).status).toBe(204);
    const gone = await admin.call('DELETE', '/members/{userId}', { params: { userId: 'bob' } });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toBe('application/problem+json');

    const trail = await admin.call('GET', '/audit', { query: { limit: 10 } });
    const actions = trail.body.items
      .filter((entry: { resource: string }) => entry.resource.startsWith('member/'))
      .map((entry: { action: string; resource: string; user: string }) => [
        entry.action,
        entry.resource,
        entry.user,
      ]);
    expect(actions).toStrictEqual([
      ['member.remove', 'member/bob', 'admin-user'],
      ['member.add', 'member/carol', 'admin-user'],
      ['member.update', 'member/bob', 'admin-user'],
      ['member.add', 'member/bob', 'admin-user'],
    ]);

    const other = await fixture.client('admin', 'globex');
    expect((await other.call('GET', '/members')).body.items).toStrictEqual([]);
  });

  it('pages the list with a cursor', async () => {
    const org = await fixture.client('admin', 'paged');
    for (const userId of ['m1', 'm2', 'm3'])
      expect((await put(org, userId, { role: 'viewer' })).status).toBe(201);
    const first = await org.call('GET', '/members', { query: { limit: 2 } });
    expect(first.body.items.map((member: { userId: string }) => member.userId)).toStrictEqual(['m1', 'm2']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await org.call('GET', '/members', { query: { limit: 2, cursor: first.body.nextCursor } });
    expect(second.body.items.map((member: { userId: string }) => member.userId)).toStrictEqual(['m3']);

    const foreign = await admin.call('GET', '/members', { query: { cursor: first.body.nextCursor } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toStrictEqual([expect.objectContaining({ pointer: '/cursor' })]);
  });

  it('keeps the last admin: neither demoted nor removed (409) until another admin exists', async () => {
    const org = 'solo';
    const alice = await fixture.client('admin', org);
    expect((await put(alice, 'admin-user', { role: 'admin' })).status).toBe(201);

    const demoted = await put(alice, 'admin-user', { role: 'developer' });
    expect(demoted.status).toBe(409);
    expect(demoted.headers.get('content-type')).toBe('application/problem+json');
    expect(demoted.body.detail).toContain('last admin');
    const removed = await alice.call('DELETE', '/members/{userId}', { params: { userId: 'admin-user' } });
    expect(removed.status).toBe(409);
    expect((await alice.call('GET', '/members')).body.items).toStrictEqual([
      expect.objectContaining({ userId: 'admin-user', role: 'admin' }),
    ]);

    expect((await put(alice, 'dave', { role: 'admin' })).status).toBe(201);
    const now = await put(alice, 'admin-user', { role: 'developer' });
    expect(now.status).toBe(200);
    expect(now.body.role).toBe('developer');
    // dave is now the last admin.
    expect((await alice.call('DELETE', '/members/{userId}', { params: { userId: 'dave' } })).status).toBe(
      409,
    );
  });

  it('refuses a bad role, email, unknown field or user id with pointers', async () => {
    const bad = await put(admin, 'erin', { role: 'owner', email: 'not-an-email', org: 'globex' });
    expect(bad.status).toBe(400);
    const pointers = bad.body.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/role', '/email', '']));
    const badId = await put(admin, 'no#hash', { role: 'viewer' });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toStrictEqual([expect.objectContaining({ pointer: '/userId' })]);
    const members = (await admin.call('GET', '/members')).body.items;
    expect(members.map((member: { userId: string }) => member.userId)).not.toContain('erin');
  });
});
