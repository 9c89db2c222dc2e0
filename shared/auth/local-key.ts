/**
 * The local signing key of `etl serve` and `etl token`: 32 random bytes in
 * `<data dir>/api-token.key`, created on first use, readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

export const LOCAL_KEY_FILE = 'api-token.key';
const KEY_BYTES = 32;

/** A key file that is unsafe or unreadable: the CLI prints its message. */
export class LocalKeyError extends ConfigError {
  override readonly name = 'LocalKeyError';
}

export function localKeyPath(dataDir: string): string {
  return join(resolve(dataDir), LOCAL_KEY_FILE);
}

async function readKey(path: string): Promise<Uint8Array> {
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new LocalKeyError(
      `${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}): run chmod 600 ${path}`,
    );
  }
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  if (key.length !== KEY_BYTES) throw new LocalKeyError(`${path} does not hold a ${KEY_BYTES}-byte key`);
  return new Uint8Array(key);
}

/** The data dir's key, created (mode 0600) if there is none yet. */
export async function loadOrCreateLocalKey(dataDir: string): Promise<Uint8Array> {
  const path = localKeyPath(dataDir);
  await mkdir(resolve(dataDir), { recursive: true });
  try {
    // `wx`: of two processes creating it at once, one wins and the other reads its key.
    await writeFile(path, `${randomBytes(KEY_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(path);
}
