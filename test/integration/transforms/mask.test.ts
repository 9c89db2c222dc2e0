/**
 * `mask` on the local runtime over real film directors with derived contact
 * data (test/fixtures/mask), in several chunks: afterwards no original email
 * is in the outputs, the staging files after the mask (chunks, rejects,
 * quality reports), the event log or anything the handlers logged.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionDeps } from '../../../shared/connections/deps.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import { LOCAL_STAGING_BUCKET } from '../../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { connectionSecretName } from '../../../shared/secrets/secret-store.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';
import { leaked, objectTexts } from './pii-scan.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/mask/directors-pii.csv', import.meta.url));
const KEY = 'mask-key-7c1d2e9f4a6b8c0d';

const pipeline = PipelineSchema.parse({
  name: 'mask directors',
  nodes: [
    {
      id: 'src',
      type: 'extractor',
      module: 's3-csv',
      config: { bucket: 'raw', prefix: 'directors/', columns: { Title: 'VARCHAR', card: 'VARCHAR' } },
    },
    {
      id: 'mask',
      type: 'transformer',
      module: 'mask',
      config: {
        columns: [
          { column: 'email', method: 'hash', secret: 'pii-key' },
          { column: 'phone', method: 'partial', keep_last: 2 },
          { column: 'card', method: 'partial' },
          { column: 'notes', method: 'detect' },
        ],
      },
    },
    {
      // Quarantines the films without a distributor, so rejects files exist to be scanned.
      id: 'check',
      type: 'transformer',
      module: 'validate',
      config: { rules: [{ column: 'Distributor', check: 'not_null' }] },
    },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'directors/' } },
  ],
  edges: [
    { source: 'src', target: 'mask' },
    { source: 'mask', target: 'check' },
    { source: 'check', target: 'out' },
  ],
  execution: { chunk_size_bytes: 16 * 1024, max_reject_ratio: 0.9 },
});

describe('mask over real data in several chunks', () => {
  let env: TestEnvironment;
  let emails: string[];
  const logs: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, FIXTURE, 'raw', 'directors/directors-pii.csv');
    const deps = connectionDeps();
    await deps.secrets.put(connectionSecretName(deps.organization, 'pii-key'), KEY);
    const rows = await queryDirectly(`SELECT DISTINCT email FROM read_csv(${sqlString(FIXTURE)})`);
    emails = rows.map((row) => String(row.email));

    // Handlers log at debug level; every line any of them writes is kept for the scan, not printed.
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array) => {
        logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      }) as typeof stream.write;
      restore.push(() => {
        stream.write = write;
      });
    }
  });
  afterAll(async () => {
    for (const undo of restore) undo();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    await env.close();
  });

  it('leaves none of the original emails in outputs, staging after the mask, the event log or logs', async () => {
    const result = await runPipelineLocally(pipeline, env.services);
    const byId = new Map(result.nodes.map((node) => [node.nodeId, node]));

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(byId.get('mask')?.chunks).toBeGreaterThan(1);
    expect(byId.get('mask')?.rowsOut).toBe(600);
    expect(byId.get('check')?.rowsRejected).toBeGreaterThan(0);
    const [output] = await queryDataset(
      env,
      'lake',
      'directors/',
      `SELECT count(*)::INTEGER AS n, count(DISTINCT email)::INTEGER AS hashes,
              count(*) FILTER (WHERE notes LIKE '%[EMAIL]%' AND notes LIKE '%[CARD]%' AND notes LIKE '%[PHONE]%')::INTEGER AS tokens,
              count(*) FILTER (WHERE card LIKE '************____')::INTEGER AS cards FROM dataset`,
    );
    expect(output?.n).toBe(byId.get('check')?.rowsOut);
    expect(output).toMatchObject({ tokens: output?.n, cards: output?.n });
    const [first] = await queryDataset(
      env,
      'lake',
      'directors/',
      "SELECT email FROM dataset WHERE Title = 'Following'",
    );
    expect(first?.email).toBe(
      createHmac('sha256', KEY).update('christopher.nolan@zeitgeist.example.com').digest('hex'),
    );

    // The source holds the emails: proof that the scan finds them where they are.
    const source = await objectTexts(env, 'raw', '');
    expect(leaked([...source.values()].join('\n'), emails).length).toBe(emails.length);

    // Everything the run staged, but what the extractor itself wrote before the mask (if not fused away).
    const afterMask = await objectTexts(env, LOCAL_STAGING_BUCKET, `runs/${result.runId}/`, (key) =>
      key.startsWith(`runs/${result.runId}/src/`),
    );
    const keys = [...afterMask.keys()];
    expect(keys.some((key) => key.includes('/check/rejects/'))).toBe(true);
    expect(keys.some((key) => key.includes('/check/quality/'))).toBe(true);
    for (const [key, text] of afterMask) expect(leaked(text, emails), key).toStrictEqual([]);
    for (const [key, text] of await objectTexts(env, 'lake', ''))
      expect(leaked(text, emails), key).toStrictEqual([]);

    const events = await readFile(result.eventLogPath, 'utf8');
    expect(events).toContain('"mask"');
    expect(leaked(events, emails)).toStrictEqual([]);
    const logged = logs.join('');
    expect(logged).toContain(result.runId);
    expect(leaked(logged, emails)).toStrictEqual([]);
    expect(logged).not.toContain(KEY);
  });
});
