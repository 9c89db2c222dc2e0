import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../shared/errors.ts';
import { LocalSecretFile } from '../../../../shared/secrets/local-secret-file.ts';
import { LocalSecretStore } from '../../../../shared/secrets/local-secret-store.ts';
import { connectionSecretName } from '../../../../shared/secrets/secret-store.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etl-secret-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('LocalSecretStore', () => {
  it('serves a value from its cache once read, and the new value after a put', async () => {
    const store = new LocalSecretStore({ dir });
    await store.put('a', 'first');
    expect(await store.get('a')).toBe('first');

    // Written behind the store's back: the cached value still answers.
    await new LocalSecretFile({ dir }).write('a', 'elsewhere');
    const cached = await store.get('a');
    await store.put('a', 'second');

    expect(cached).toBe('first');
    expect(await store.get('a')).toBe('second');
  });

  it('answers undefined once a value is deleted', async () => {
    const store = new LocalSecretStore({ dir });
    await store.put('a', 'value');

    await store.delete('a');

    expect(await store.get('a')).toBeUndefined();
  });

  it('hands back its own typed error, not the provider wrapper', async () => {
    await new LocalSecretStore({ dir, key: 'ab'.repeat(32) }).put('a', 'value');

    await expect(new LocalSecretStore({ dir, key: 'cd'.repeat(32) }).get('a')).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('names where values live, never a value', () => {
    expect(new LocalSecretStore({ dir }).location).toBe(`local encrypted file ${join(dir, 'secrets.json')}`);
  });
});

describe('connectionSecretName', () => {
  it('scopes a connection secret by organization', () => {
    expect(connectionSecretName('acme', 'warehouse')).toBe('etl/acme/connections/warehouse');
  });
});
