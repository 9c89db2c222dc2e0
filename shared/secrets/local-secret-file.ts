/**
 * The local secret store's file: every value encrypted with AES-256-GCM
 * under its own random IV, its name bound in as additional authenticated
 * data (an entry copied under another name does not decrypt). The key comes
 * from `ETL_SECRET_KEY`, or from a key file created beside the store on
 * first use; both files are readable by their owner only.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;

const EntrySchema = z.strictObject({ iv: z.base64(), tag: z.base64(), data: z.base64() });
const FileSchema = z.strictObject({
  version: z.literal(1),
  secrets: z.record(z.string(), EntrySchema),
});
type SecretFile = z.output<typeof FileSchema>;

export interface LocalSecretFileOptions {
  /** Folder holding `secrets.json` and, unless `key` is given, `key`. */
  readonly dir: string;
  /** `ETL_SECRET_KEY`: 64 hex digits or base64 of 32 bytes. */
  readonly key?: string;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string }).code === 'ENOENT';
}

export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`${source} must hold a 256-bit key: 64 hex digits or 44 base64 characters`);
  }
  return key;
}

async function writePrivately(path: string, content: string): Promise<void> {
  // Write then rename, so a crash never leaves a half-written store.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}

export class LocalSecretFile {
  private readonly path: string;
  private readonly keyPath: string;
  private key: Buffer | undefined;

  constructor(private readonly options: LocalSecretFileOptions) {
    this.path = join(options.dir, 'secrets.json');
    this.keyPath = join(options.dir, 'key');
  }

  get location(): string {
    return `local encrypted file ${this.path}`;
  }

  async read(name: string): Promise<string | undefined> {
    const entry = (await this.load()).secrets[name];
    if (entry === undefined) return undefined;
    const key = await this.loadKey(false);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new ConfigError(
        `cannot decrypt secret ${name} in ${this.path}: it was written with another key (${this.keySource()}) or the file was altered`,
      );
    }
  }

  async write(name: string, value: string): Promise<void> {
    const key = await this.loadKey(true);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const file = await this.load();
    file.secrets[name] = {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await this.save(file);
  }

  async remove(name: string): Promise<void> {
    const file = await this.load();
    if (!(name in file.secrets)) return;
    delete file.secrets[name];
    await this.save(file);
  }

  private keySource(): string {
    return this.options.key === undefined ? `key file ${this.keyPath}` : 'ETL_SECRET_KEY';
  }

  private async load(): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return { version: 1, secrets: {} };
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigError(`the secret store ${this.path} is not valid JSON`);
    }
    const file = FileSchema.safeParse(parsed);
    if (!file.success) throw new ConfigError(`the secret store ${this.path} is malformed`);
    return file.data;
  }

  private async save(file: SecretFile): Promise<void> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    await writePrivately(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }

  /** The key: from the option, else the key file, created on first write. */
  private async loadKey(createIfMissing: boolean): Promise<Buffer> {
    if (this.key) return this.key;
    if (this.options.key !== undefined) {
      this.key = parseSecretKey(this.options.key, 'ETL_SECRET_KEY');
      return this.key;
    }
    const text = await readFile(this.keyPath, 'utf8').catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (text === undefined) {
      if (!createIfMissing) throw new ConfigError(`the secret store's key file ${this.keyPath} is missing`);
      await this.createKeyFile();
      return this.loadKey(false);
    }
    this.key = parseSecretKey(text, `the key file ${this.keyPath}`);
    return this.key;
  }

  private async createKeyFile(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    // `wx`: if another process created the key meanwhile, keep theirs.
    await writeFile(this.keyPath, `${randomBytes(KEY_BYTES).toString('hex')}\n`, {
      mode: 0o600,
      flag: 'wx',
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    });
  }
}
