/**
 * Hostile paths and sizes. The local S3 keeps objects as files named after
 * their keys, so a `..` in a key from `etl put`, `etl get` or a pipeline's
 * prefix must be refused before it leaves the data dir (it used to escape);
 * URL-encoded traversal stays a literal key inside its bucket. Oversized
 * pipelines are refused by the validator, by name of the limit, before any
 * slower check runs.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../shared/aws/s3-objects.ts';
import { registry } from '../../shared/modules/registry.ts';
import { ensureBucket, type LocalServices, startLocalServices } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { PIPELINE_LIMITS, validatePipeline } from '../../shared/spec/validate.ts';
import { localFunctionArn } from '../../statemachines/function-names.ts';
import { aslSizeBytes, MAX_DEFINITION_BYTES, translatePipeline } from '../../statemachines/translate.ts';
import { runEtl } from './etl-cli.ts';

const REFUSED =
  /has a "\." or "\.\." segment, a leading "\/" or a NUL byte: the local S3 keeps keys as files/;

let scratch: string;
let dataDir: string;

/** Paths anywhere under the scratch folder whose name carries the marker of a test's hostile key. */
async function filesNamed(marker: string): Promise<string[]> {
  const entries = await readdir(scratch, { recursive: true });
  return entries.filter((entry) => entry.includes(marker));
}

beforeAll(async () => {
  // Deep enough that `..` segments could climb out of the data dir and still land in scratch.
  scratch = await mkdtemp(join(tmpdir(), 'etl-paths-'));
  dataDir = join(scratch, 'a', 'b', 'c', 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(scratch, 'payload.txt'), 'payload\n');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('etl put and get with hostile S3 keys', () => {
  it.each([
    's3://lake/../../escape-1.txt',
    's3://lake/x/../../../../../escape-2.txt',
    's3://lake/./escape-3.txt',
    's3://lake//abs/escape-4.txt',
    's3://lake/x\\..\\..\\escape-5.txt',
  ])('refuses to put %s, writing nothing anywhere', async (uri) => {
    const put = runEtl(['put', join(scratch, 'payload.txt'), uri], { dataDir });

    expect(put.status).toBe(1);
    expect(put.stderr).toMatch(REFUSED);
    expect(put.stderr).not.toMatch(/^\s+at /m);
    expect(await filesNamed('escape-')).toStrictEqual([]);
  });

  it('refuses to get a key that climbs out of its bucket, and creates no local file', async () => {
    const target = join(scratch, 'got-escape.bin');

    const got = runEtl(['get', 's3://lake/../../dynamodb/CURRENT', target], { dataDir });

    expect(got.status).toBe(1);
    expect(got.stderr).toMatch(REFUSED);
    expect(await filesNamed('got-escape')).toStrictEqual([]);
  });

  it('keeps URL-encoded traversal as a literal key inside the bucket', async () => {
    const put = runEtl(['put', join(scratch, 'payload.txt'), 's3://lake/..%2F..%2Fescape-encoded.txt'], {
      dataDir,
    });
    const listed = runEtl(['ls', 's3://lake/'], { dataDir });

    expect(put.status, put.stderr).toBe(0);
    expect(listed.stdout).toContain('s3://lake/..%2F..%2Fescape-encoded.txt');
    const escaped = await filesNamed('escape-encoded');
    expect(escaped.length).toBeGreaterThan(0);
    for (const path of escaped) expect(path.startsWith(join('a', 'b', 'c', 'data', 's3', 'lake'))).toBe(true);
  });
});

describe('pipelines with hostile S3 prefixes', () => {
  let services: LocalServices;

  beforeAll(async () => {
    services = await startLocalServices(join(scratch, 'pipeline-data'));
    await ensureBucket(services.s3, 'raw');
    await services.s3.send(
      new PutObjectCommand({ Bucket: 'raw', Key: 'in/data.csv', Body: 'id,label\n1,a\n2,b\n' }),
    );
  });

  afterAll(async () => {
    await services?.stop();
  });

  function copyPipeline(loaderPrefix: string, sourcePrefix = 'in/') {
    return PipelineSchema.parse({
      name: 'paths',
      nodes: [
        { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: sourcePrefix } },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: loaderPrefix } },
      ],
      edges: [{ source: 'src', target: 'out' }],
    });
  }

  it.each(['../../../../escape-loader/', 'ok/../../../../escape-loader/', 'nul\u0000escape/'])(
    'fails a run whose loader prefix is %j with a clear error, writing nothing outside',
    async (prefix) => {
      const result = await runPipelineLocally(copyPipeline(prefix), services);

      expect(result.run.status).toBe('failed');
      expect(result.run.error?.message).toMatch(REFUSED);
      expect(await filesNamed('escape-loader')).toStrictEqual([]);
    },
  );

  it('confines an extractor prefix that climbs: it lists nothing outside its bucket', async () => {
    const result = await runPipelineLocally(copyPipeline('copied/', '../../'), services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.message).toContain('no files under s3://raw/../../');
    expect(await listObjects(services.s3, 'lake', 'copied/')).toStrictEqual([]);
  });
});

describe('pipeline size limits', () => {
  const chain = (count: number, id: (i: number) => string, config: Record<string, unknown>) => ({
    name: 'big',
    nodes: [
      { id: id(0), type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } },
      ...Array.from({ length: count - 2 }, (_, i) => ({
        id: id(i + 1),
        type: 'transformer',
        module: 'aggregate',
        config,
      })),
      { id: id(count - 1), type: 'loader', module: 's3-parquet', config: { bucket: 'lake' } },
    ],
    edges: Array.from({ length: count - 1 }, (_, i) => ({ source: id(i), target: id(i + 1) })),
  });
  const aggregate = { group_by: ['a'], aggregates: [{ name: 'n', function: 'count' }] };

  it('refuses thousands of nodes at once, naming the limit, before checking each node', async () => {
    const started = performance.now();

    const result = await validatePipeline(
      chain(5_000, (i) => `n${i}`, aggregate),
      registry,
    );

    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual({
      pointer: '/nodes',
      code: 'schema',
      message: `the pipeline has 5000 nodes, over the limit of ${PIPELINE_LIMITS.nodes}`,
    });
    // Each node's SQL check costs a DuckDB parse: refusing first keeps this fast.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a document over the byte limit, naming both sizes', async () => {
    const document = { ...chain(3, (i) => `n${i}`, aggregate), description: 'x'.repeat(2 * 1024 * 1024) };

    const result = await validatePipeline(document, registry);

    expect(result.ok).toBe(false);
    expect(result.errors).toStrictEqual([
      {
        pointer: '',
        code: 'schema',
        message: expect.stringMatching(
          /^the pipeline is 2097\d{3} bytes, over the limit of 131072 bytes \(128 KB\)$/,
        ),
      },
    ]);
  });

  it('translates the largest pipeline the limits allow to ASL under 1 MB (the limits suffice)', async () => {
    // Worst case measured: barrier nodes with 64-character ids, configs padding the document to the byte limit.
    const id = (i: number) => `node-${i}`.padEnd(64, 'x');
    const base = chain(PIPELINE_LIMITS.nodes, id, aggregate);
    const padding = PIPELINE_LIMITS.bytes - Buffer.byteLength(JSON.stringify(base)) - 200;
    const padded = {
      ...aggregate,
      aggregates: [{ name: 'y'.repeat(Math.floor(padding)), function: 'count' }],
    };
    const document = {
      ...base,
      nodes: base.nodes.map((node, i) => (i === 1 ? { ...node, config: padded } : node)),
    };

    const result = await validatePipeline(document, registry);
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    const definition = translatePipeline(result.pipeline, { resolveFunctionArn: localFunctionArn });

    expect(Buffer.byteLength(JSON.stringify(document))).toBeGreaterThan(PIPELINE_LIMITS.bytes - 1024);
    expect(aslSizeBytes(definition)).toBeLessThan(MAX_DEFINITION_BYTES);
  });
});
