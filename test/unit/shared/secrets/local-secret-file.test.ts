import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../shared/errors.ts';
import { LocalSecretFile, parseSecretKey } from '../../../../shared/secrets/local-secret-file.ts';

const VALUE = 'correct horse battery staple';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etl-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('LocalSecretFile', () => {
  it('reads back what it wrote, and stores only ciphertext', async () => {
    const file = new LocalSecretFile({ dir });

    await file.write('etl/local/connections/warehouse', VALUE);

    expect(await file.read('etl/local/connections/warehouse')).toBe(VALUE);
    expect(await new LocalSecretFile({ dir }).read('etl/local/connections/warehouse')).toBe(VALUE);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).not.toContain('horse');
  });

  it('creates its key file on first write, readable by its owner only', async () => {
    await new LocalSecretFile({ dir }).write('a', VALUE);

    expect((await stat(join(dir, 'key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
  });

  it('answers undefined for a name it does not hold, and forgets a removed one', async () => {
    const file = new LocalSecretFile({ dir });
    await file.write('a', VALUE);

    await file.remove('a');

    expect(await file.read('a')).toBeUndefined();
    expect(await file.read('never')).toBeUndefined();
  });

  it('uses the key from ETL_SECRET_KEY, and fails clearly under another key', async () => {
    const key = 'ab'.repeat(32);
    await new LocalSecretFile({ dir, key }).write('a', VALUE);

    const other = new LocalSecretFile({ dir, key: 'cd'.repeat(32) });

    expect(await new LocalSecretFile({ dir, key }).read('a')).toBe(VALUE);
    await expect(other.read('a')).rejects.toThrow(
      /cannot decrypt secret a .* another key \(ETL_SECRET_KEY\)/,
    );
  });

  it('refuses an entry moved under another name', async () => {
    const file = new LocalSecretFile({ dir });
    await file.write('a', VALUE);
    const stored = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as {
      secrets: Record<string, unknown>;
    };
    stored.secrets.b = stored.secrets.a;
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(stored));

    await expect(new LocalSecretFile({ dir }).read('b')).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('parseSecretKey', () => {
  it('accepts 64 hex digits or base64 of 32 bytes', () => {
    expect(parseSecretKey('0f'.repeat(32), 'k')).toHaveLength(32);
    expect(parseSecretKey(Buffer.alloc(32, 7).toString('base64'), 'k')).toHaveLength(32);
  });

  it('fails for a key of another length', () => {
    expect(() => parseSecretKey('abcd', 'ETL_SECRET_KEY')).toThrow('ETL_SECRET_KEY must hold a 256-bit key');
  });
});
