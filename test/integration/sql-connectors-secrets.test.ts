/**
 * Connections as a user drives them through `etl`, with a database user
 * whose password is a known secret: the secret is read from stdin, used to
 * log in, and then appears nowhere: not in the CLI's output, the handlers'
 * logs, the ASL, the run's event log or any DynamoDB item. The same run
 * shows a parameter value shaped like SQL arriving as data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../shared/runtime/local-services.ts';
import { scanForSecret } from '../security/secret-scan.ts';
import { REPO_ROOT } from './harness.ts';
import { MARIADB, type MariaDbFixture, mariaDbFixture, uniqueName } from './sql-connectors-fixtures.ts';

const BIN = join(REPO_ROOT, 'shared/cli/bin.js');
const SECRET = `Pw-${uniqueName('s3cr3t')}-'"; --`;
const WRONG_SECRET = `Wrong-${uniqueName('nope')}`;
const INJECTION = "x'; DROP TABLE t; --";

let scratch: string;
let dataDir: string;
let db: MariaDbFixture;
let user: string;
/** Everything the CLI printed, on both streams, across the suite. */
const transcript: string[] = [];

function etl(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, ETL_DATA_DIR: dataDir, ...options.env },
    timeout: 120_000,
  });
  transcript.push(result.stdout, result.stderr);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function connectionArgs(name: string, userName: string): string[] {
  return [
    'connections',
    'add',
    name,
    '--type',
    'mysql',
    '--host',
    MARIADB.host,
    '--port',
    String(MARIADB.port),
    '--database',
    db.database,
    '--user',
    userName,
  ];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-secrets-'));
  dataDir = join(scratch, 'data');
  db = await mariaDbFixture();
  user = await db.createUser(SECRET);
  await db.query(
    'CREATE TABLE t (id INT PRIMARY KEY, label VARCHAR(64) NOT NULL, updated_at DATETIME(6) NOT NULL)',
  );
  await db.query('INSERT INTO t VALUES (1, ?, NOW(6)), (2, ?, NOW(6)), (3, ?, NOW(6))', [
    'plain',
    INJECTION,
    'other',
  ]);
  await db.query(
    'CREATE TABLE labels (id INT PRIMARY KEY, label VARCHAR(64) NOT NULL, updated_at DATETIME(6))',
  );
});
afterAll(async () => {
  await db?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('etl connections', () => {
  it('adds a connection with the secret from stdin, lists and tests it', () => {
    const added = etl(connectionArgs('warehouse', user), { input: `${SECRET}\n` });
    const listed = etl(['connections', 'list']);
    const tested = etl(['connections', 'test', 'warehouse']);

    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/connection warehouse saved \(mysql .*; secret in local encrypted file/);
    expect(listed.stdout).toMatch(/warehouse\s+mysql\s+\S+@127\.0\.0\.1:3306\/\S+\s+no\s+stored/);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/connection warehouse ok: .*MariaDB/);
  });

  it('fails the test of a connection whose secret the server refuses, with a clear message', () => {
    etl(connectionArgs('wrong', user), { input: WRONG_SECRET });

    const tested = etl(['connections', 'test', 'wrong']);

    expect(tested.status).toBe(1);
    expect(tested.stderr).toMatch(/connecting to mysql connection wrong .*Access denied/);
    expect(tested.stderr).not.toContain(WRONG_SECRET);
  });

  it('removes a connection and its secret', () => {
    const removed = etl(['connections', 'remove', 'wrong']);
    const tested = etl(['connections', 'test', 'wrong']);

    expect(removed.stdout).toContain('connection wrong removed');
    expect(tested.status).toBe(1);
    expect(tested.stderr).toContain('no connection wrong');
  });
});

describe('a run with a secret-bearing connection', () => {
  let pipelinePath: string;

  beforeAll(async () => {
    pipelinePath = join(scratch, 'labels.json');
    const pipeline = {
      name: 'copy-labels',
      parameters: { label: { type: 'string', default: 'plain' } },
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: 'mysql',
          config: {
            connection: 'warehouse',
            query: 'SELECT id, label, updated_at FROM t WHERE label = $label',
            mode: 'incremental',
            cursor_column: 'updated_at',
          },
        },
        {
          id: 'dest',
          type: 'loader',
          module: 'mysql-load',
          config: { connection: 'warehouse', table: 'labels', mode: 'upsert', key_columns: ['id'] },
        },
      ],
      edges: [{ source: 'src', target: 'dest' }],
    };
    await writeFile(pipelinePath, JSON.stringify(pipeline, null, 2));
  });

  it('binds a parameter shaped like SQL as a value: it selects its row and drops nothing', async () => {
    const run = etl(['run', pipelinePath, '--param', `label=${INJECTION}`], {
      env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });

    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(await db.query('SELECT id, label FROM labels')).toStrictEqual([[2, INJECTION]]);
    expect(await db.query('SELECT COUNT(*) FROM t')).toStrictEqual([['3']]);
  });

  it('keeps a watermark per node that `etl state reset` forgets', () => {
    const before = etl(['state', 'list', pipelinePath]);
    const reset = etl(['state', 'reset', 'copy-labels', 'src']);
    const after = etl(['state', 'list', 'copy-labels']);

    expect(before.stdout).toMatch(/src\s+updated_at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(reset.stdout).toMatch(/watermark of copy-labels src reset \(was updated_at = /);
    expect(after.stdout).toContain('no watermarks saved for pipeline copy-labels');
  });

  it('leaves the secret in no output, log, ASL, event log, DynamoDB item or unencrypted file', async () => {
    const translated = etl(['translate', pipelinePath]);
    const runs = etl(['runs']);
    const runId = /^(\S{26})\s/m.exec(runs.stdout.split('\n').slice(2).join('\n'))?.[1] ?? '';
    etl(['show', runId]);
    etl(['connections', 'list']);

    const services = await startLocalServices(dataDir);
    const items: unknown[] = [];
    try {
      const client = new DynamoDBClient({
        region: services.env.region,
        endpoint: services.env.dynamoDbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const scan = await client.send(new ScanCommand({ TableName: services.env.metadataTable }));
      items.push(...(scan.Items ?? []));
      client.destroy();
    } finally {
      await services.stop();
    }
    const files = await filesUnder(dataDir);
    const secretFiles = files.filter((path) => relative(dataDir, path).startsWith('secrets'));

    expect(translated.stdout).toContain('"StartAt"');
    expect(items.some((item) => JSON.stringify(item).includes('CONNECTION#warehouse'))).toBe(true);
    expect(transcript.join('\n')).toMatch(/"level":"INFO","message":"committed load"/);
    // Also base64, URL- and JSON-escaped forms, and inside Parquet pages (test/security/secret-scan.ts).
    for (const secret of [SECRET, WRONG_SECRET]) {
      const scan = await scanForSecret(secret, [
        { kind: 'text', label: 'cli transcript', text: transcript.join('\n') },
        { kind: 'json', label: 'dynamodb items', value: items },
        { kind: 'directory', path: dataDir, workDir: join(scratch, 'scan') },
      ]);
      expect(scan.hits, secret).toStrictEqual([]);
      expect(scan.coverage.files).toBe(files.length);
    }
    expect(secretFiles.map((path) => relative(dataDir, path)).sort()).toStrictEqual([
      'secrets/key',
      'secrets/secrets.json',
    ]);
  });
});
