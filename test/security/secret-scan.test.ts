/**
 * The planted-secret scan: a PostgreSQL connection whose password is a known
 * secret is added through the real CLI, a real pipeline reads through it with
 * DEBUG logs on, and the secret (in any common encoding) is then found in no
 * CLI output, log, ASL, DynamoDB item or file of the data dir. A planted
 * copy in each kind of source is found, so the scan cannot pass vacuously.
 * PostgreSQL on 127.0.0.1:5432 trusts local logins: the password is still
 * stored and handed to the driver, which is where a leak would start.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../shared/aws/clients.ts';
import { withDuckDb } from '../../shared/duckdb/engine.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';
import { startLocalServices } from '../../shared/runtime/local-services.ts';
import { POSTGRES, type PostgresFixture, postgresFixture } from '../integration/sql-connectors-fixtures.ts';
import { runEtl } from './etl-cli.ts';
import { type ScanSource, scanForSecret } from './secret-scan.ts';

// Quotes, a slash and a space: each changes shape under JSON, URL and base64 encoding.
const SECRET = `pg-Secret/${Date.now().toString(36)} '"x+y=z`;

let scratch: string;
let dataDir: string;
let db: PostgresFixture;
/** Everything the CLI printed, both streams, every command. */
const transcript: string[] = [];

function etl(args: string[], input?: string) {
  const result = runEtl(args, {
    dataDir,
    ...(input === undefined ? {} : { input }),
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
  });
  transcript.push(result.stdout, result.stderr);
  return result;
}

/** Scans the data dir and every item of the metadata table with the emulators started on it. */
async function scanDataDir(extra: readonly ScanSource[]) {
  const services = await startLocalServices(dataDir);
  const client = createDynamoDbClient(services.env);
  try {
    return await scanForSecret(SECRET, [
      { kind: 'dynamodb', client, table: services.env.metadataTable },
      { kind: 'directory', path: dataDir, workDir: join(scratch, 'scan') },
      ...extra,
    ]);
  } finally {
    client.destroy();
    await services.stop();
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-secret-scan-'));
  dataDir = join(scratch, 'data');
  db = await postgresFixture();
  await db.query(`CREATE TABLE ${db.schema}.accounts (id INT PRIMARY KEY, owner TEXT NOT NULL)`);
  await db.query(`INSERT INTO ${db.schema}.accounts VALUES (1, 'ada'), (2, 'grace'), (3, 'linus')`);
});

afterAll(async () => {
  await db?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('planted secret', () => {
  let asl = '';

  it('runs a pipeline through a connection holding the secret', async () => {
    const pipelinePath = join(scratch, 'accounts.json');
    await writeFile(
      pipelinePath,
      JSON.stringify({
        name: 'secret-scan',
        nodes: [
          {
            id: 'src',
            type: 'extractor',
            module: 'postgres',
            config: { connection: 'vault', query: `SELECT id, owner FROM ${db.schema}.accounts` },
          },
          {
            id: 'lake',
            type: 'loader',
            module: 's3-parquet',
            config: { bucket: 'lake', prefix: 'accounts/' },
          },
          {
            id: 'copy',
            type: 'loader',
            module: 'postgres-load',
            config: { connection: 'vault', schema: db.schema, table: 'accounts_copy' },
          },
        ],
        edges: [
          { source: 'src', target: 'lake' },
          { source: 'src', target: 'copy' },
        ],
      }),
    );
    const connection = ['--type', 'postgres', '--host', POSTGRES.host, '--port', String(POSTGRES.port)];

    const added = etl(
      [
        'connections',
        'add',
        'vault',
        ...connection,
        '--database',
        POSTGRES.database,
        '--user',
        POSTGRES.user,
      ],
      `${SECRET}\n`,
    );
    const tested = etl(['connections', 'test', 'vault']);
    const run = etl(['run', pipelinePath]);
    const translated = etl(['translate', pipelinePath]);
    asl = translated.stdout;
    const runId = /\b([0-9A-HJKMNP-TV-Z]{26})\b/.exec(etl(['runs']).stdout)?.[1] ?? 'none';
    const shown = etl(['show', runId]);
    etl(['connections', 'list']);

    expect(added.status, added.stderr).toBe(0);
    expect(tested.status, tested.stderr).toBe(0);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(await db.query(`SELECT count(*)::INT FROM ${db.schema}.accounts_copy`)).toStrictEqual([[3]]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(asl).toContain('"StartAt"');
    // Handler logs (asked for at DEBUG) are in the transcript the scan below reads.
    expect(transcript.join('\n')).toMatch(/"level":"INFO","message":"committed load"/);
  });

  it('is found in no CLI output, log, ASL, DynamoDB item or file', async () => {
    const scan = await scanDataDir([
      { kind: 'text', label: 'cli transcript', text: transcript.join('\n') },
      { kind: 'text', label: 'asl', text: asl },
    ]);

    expect(scan.hits).toStrictEqual([]);
    // Not vacuous: the run left objects, logs and items behind, and all of them were read.
    expect(scan.coverage.files).toBeGreaterThan(10);
    expect(scan.coverage.items).toBeGreaterThan(5);
    expect(scan.coverage.texts).toBe(2);
  });

  it('is found when planted, in every kind of source and encoding (positive control)', async () => {
    const planted = join(dataDir, 'planted', 'deep');
    await mkdir(planted, { recursive: true });
    await writeFile(join(planted, 'note.txt'), `token=${SECRET}\n`);
    await writeFile(
      join(planted, 'events.jsonl'),
      `${JSON.stringify({ auth: Buffer.from(`u:${SECRET}`).toString('base64') })}\n`,
    );
    // Compressed pages hide the bytes: only reading the Parquet back finds it.
    await withDuckDb({ workDir: join(scratch, 'plant') }, (connection) =>
      connection.run(
        `COPY (SELECT ${sqlString(SECRET)} AS leaked FROM range(1000)) TO ${sqlString(join(planted, 'leak.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
      ),
    );
    const services = await startLocalServices(dataDir);
    const client = createDynamoDbClient(services.env);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'planted-secrets',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // The emulator creates tables asynchronously, like DynamoDB: wait until the put can land.
      await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: 'planted-secrets' });
      await client.send(
        new PutCommand({
          TableName: 'planted-secrets',
          Item: { pk: 'leak', nested: { list: [`x${SECRET}`] } },
        }),
      );

      const { hits } = await scanForSecret(SECRET, [
        { kind: 'dynamodb', client, table: 'planted-secrets' },
        { kind: 'directory', path: planted, workDir: join(scratch, 'scan') },
        { kind: 'text', label: 'stderr', text: `GET /?password=${encodeURIComponent(SECRET)}` },
        {
          kind: 'json',
          label: 'asl',
          value: { Parameters: { config: JSON.stringify({ password: SECRET }) } },
        },
      ]);
      const found = hits.map((hit) => `${hit.where.replace(planted, '<planted>')} ${hit.form}`);

      expect(found).toEqual(
        expect.arrayContaining([
          'dynamodb:planted-secrets:leak| plain',
          '<planted>/note.txt plain',
          expect.stringMatching(/^<planted>\/events\.jsonl base64@\d$/),
          '<planted>/leak.parquet plain',
          'stderr url-encoded',
          'asl json-escaped-twice',
        ]),
      );
    } finally {
      client.destroy();
      await services.stop();
    }
  });
});
