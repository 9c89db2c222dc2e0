/**
 * Looks for a planted secret everywhere a leak could land: files (Parquet
 * and gzip decoded, since their compressed bytes would hide it), DynamoDB
 * items, captured output, ASL. Searches the encodings a leak usually takes
 * on the way (JSON-escaped, base64, URL-encoded, hex), not only the raw text.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';

export type ScanSource =
  | { readonly kind: 'directory'; readonly path: string; readonly workDir: string }
  | { readonly kind: 'dynamodb'; readonly client: DynamoDBDocumentClient; readonly table: string }
  | { readonly kind: 'text'; readonly label: string; readonly text: string }
  | { readonly kind: 'json'; readonly label: string; readonly value: unknown };

/** How much was searched, so a test can tell an empty result from an empty scan. */
export interface ScanCoverage {
  files: number;
  items: number;
  texts: number;
}

export interface SecretScan {
  readonly hits: readonly SecretHit[];
  readonly coverage: Readonly<ScanCoverage>;
}

export interface SecretHit {
  /** A file path, `dynamodb:<table>:<key>`, or the label of a text or JSON source. */
  readonly where: string;
  /** Which encoding of the secret was found. */
  readonly form: string;
}

/**
 * The secret's base64 inside a longer base64 text depends on its offset
 * modulo 3: the stable middle of each of the three alignments.
 */
function base64Cores(secret: Buffer, alphabet: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((shift) => {
    const text = Buffer.concat([Buffer.alloc(shift), secret])
      .toString(alphabet)
      .replace(/=+$/, '');
    return text.slice(Math.ceil((4 * shift) / 3), Math.floor((shift + secret.length) / 3) * 4);
  });
}

/** Every encoding searched, by name; each must be long enough to mean something. */
export function secretForms(secret: string): ReadonlyMap<string, Buffer> {
  const raw = Buffer.from(secret, 'utf8');
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Map<string, string>([
    ['plain', secret],
    ['json-escaped', json],
    ['json-escaped-twice', JSON.stringify(json).slice(1, -1)],
    ['url-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ x: secret }).toString().slice(2)],
    ['hex', raw.toString('hex')],
  ]);
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (const [shift, core] of base64Cores(raw, alphabet).entries()) forms.set(`${alphabet}@${shift}`, core);
  }
  return new Map(
    [...forms]
      .filter(([, text]) => text.length >= 8)
      .map(([name, text]) => [name, Buffer.from(text, 'utf8')]),
  );
}

function findForms(bytes: Buffer, forms: ReadonlyMap<string, Buffer>, where: string): SecretHit[] {
  return [...forms].filter(([, form]) => bytes.includes(form)).map(([form]) => ({ where, form }));
}

/** Parquet pages are compressed: read the rows back as JSON text to search them. */
async function parquetText(path: string, workDir: string): Promise<Buffer> {
  return withDuckDb({ workDir }, async (connection) => {
    const rows = await queryRows(connection, `SELECT * FROM read_parquet(${sqlString(path)})`);
    return Buffer.from(JSON.stringify(rows), 'utf8');
  });
}

const PARQUET_MAGIC = Buffer.from('PAR1');

/** By content, not name: the S3 emulator stores objects as `<key>._S3rver_object`. */
async function fileContents(path: string, workDir: string): Promise<Buffer[]> {
  const bytes = await readFile(path);
  const contents: Buffer[] = [bytes];
  const parquet =
    bytes.length >= 8 &&
    bytes.subarray(0, 4).equals(PARQUET_MAGIC) &&
    bytes.subarray(-4).equals(PARQUET_MAGIC);
  if (parquet) contents.push(await parquetText(path, workDir));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) contents.push(gunzipSync(bytes));
  return contents;
}

async function scanDirectory(
  path: string,
  workDir: string,
  forms: ReadonlyMap<string, Buffer>,
  coverage: ScanCoverage,
) {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const hits: SecretHit[] = [];
  for (const entry of entries.filter((one) => one.isFile())) {
    coverage.files++;
    const file = join(entry.parentPath, entry.name);
    for (const content of await fileContents(file, workDir)) hits.push(...findForms(content, forms, file));
  }
  return hits;
}

/** Strings and binary attributes of an item, each searched on its own (binary may be any bytes). */
function itemBuffers(value: unknown): Buffer[] {
  if (typeof value === 'string') return [Buffer.from(value, 'utf8')];
  if (value instanceof Uint8Array) return [Buffer.from(value)];
  if (value instanceof Set) return [...value].flatMap(itemBuffers);
  if (Array.isArray(value)) return value.flatMap(itemBuffers);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [Buffer.from(key, 'utf8'), ...itemBuffers(inner)]);
  }
  return [];
}

async function scanTable(
  client: DynamoDBDocumentClient,
  table: string,
  forms: ReadonlyMap<string, Buffer>,
  coverage: ScanCoverage,
) {
  const hits: SecretHit[] = [];
  let startKey: Record<string, unknown> | undefined;
  // Every page: a Scan returns at most 1 MB at a time.
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      coverage.items++;
      const where = `dynamodb:${table}:${String(item.pk ?? '')}|${String(item.sk ?? '')}`;
      for (const buffer of itemBuffers(item)) hits.push(...findForms(buffer, forms, where));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return hits;
}

/** Every place (and encoding) where `secret` appears across `sources`; no hits when it appears nowhere. */
export async function scanForSecret(secret: string, sources: readonly ScanSource[]): Promise<SecretScan> {
  const forms = secretForms(secret);
  const hits: SecretHit[] = [];
  const coverage: ScanCoverage = { files: 0, items: 0, texts: 0 };
  for (const source of sources) {
    switch (source.kind) {
      case 'directory':
        hits.push(...(await scanDirectory(source.path, source.workDir, forms, coverage)));
        break;
      case 'dynamodb':
        hits.push(...(await scanTable(source.client, source.table, forms, coverage)));
        break;
      case 'text':
        coverage.texts++;
        hits.push(...findForms(Buffer.from(source.text, 'utf8'), forms, source.label));
        break;
      case 'json':
        coverage.texts++;
        hits.push(...findForms(Buffer.from(JSON.stringify(source.value), 'utf8'), forms, source.label));
        break;
    }
  }
  // One hit per place and form, even when a form occurs twice in one file.
  const unique = hits.filter(
    (hit, index) => hits.findIndex((other) => other.where === hit.where && other.form === hit.form) === index,
  );
  return { hits: unique, coverage };
}
