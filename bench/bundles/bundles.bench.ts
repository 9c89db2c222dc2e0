/**
 * Every Lambda bundle of the CDK app, built exactly as `npm run synth` builds
 * it, with its size and cold-import time on this machine's Node 22. Fails
 * (exit 1) when a bundle breaks its budget:
 * - without DuckDB: under 1.5 MB zipped;
 * - with DuckDB: function plus layers under Lambda's 250 MB unzipped limit,
 *   with at least 50 MB to spare.
 *
 *   npm run bench:bundles
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnResource, Stack } from 'aws-cdk-lib';
import { createPlatformApp } from '../../infra/platform-app.ts';
import { coldImportMs, median, unzippedBytes, zippedBytes } from './bundle-measures.ts';

const ROUNDS = 5;
const MB = 1024 * 1024;
const ZIPPED_BUDGET = 1.5 * MB;
const LAMBDA_UNZIPPED_LIMIT = 250 * MB;
const UNZIPPED_HEADROOM = 50 * MB;

type Template = { Resources: Record<string, { Metadata?: Record<string, string> }> };

const outdir = await mkdtemp(join(tmpdir(), 'etl-synth-'));
try {
  const started = performance.now();
  const { app, stack } = await createPlatformApp({
    outdir,
    context: { 'aws:cdk:enable-asset-metadata': true },
  });
  app.synth();
  const synthSeconds = (performance.now() - started) / 1000;
  const template = JSON.parse(
    await readFile(join(outdir, `${stack.artifactId}.template.json`), 'utf8'),
  ) as Template;
  const assetDir = (construct: CfnResource): string => {
    const logicalId: unknown = Stack.of(construct).resolve(construct.logicalId);
    const path = template.Resources[String(logicalId)]?.Metadata?.['aws:asset:path'];
    if (path === undefined) throw new Error(`no asset recorded for ${String(logicalId)}`);
    return join(outdir, path);
  };

  const { duckDbLayer } = stack.functions;
  const layerDir = assetDir(duckDbLayer.layer.node.defaultChild as CfnResource);
  const layerBytes = await unzippedBytes(layerDir);
  const layerCpu = duckDbLayer.binding.includes('arm64') ? 'arm64' : 'x64';
  const environment = {
    ETL_STAGING_BUCKET: 'bench-staging',
    ETL_METADATA_TABLE: 'bench-metadata',
    ETL_ORGANIZATION: 'bench',
    AWS_REGION: 'us-east-1',
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };

  const rows: string[] = [];
  const overBudget: string[] = [];
  for (const [name, fn] of stack.functions.functions) {
    const dir = assetDir(fn.function.node.defaultChild as CfnResource);
    const hasDuckDb = stack.functions.duckDbFunctions.has(name);
    const zipped = await zippedBytes(dir);
    const unzipped = (await unzippedBytes(dir)) + (hasDuckDb ? layerBytes : 0);
    const canLoad = !hasDuckDb || layerCpu === process.arch;
    const times = canLoad
      ? await coldImportMs({
          bundleDir: dir,
          ...(hasDuckDb ? { nodePath: join(layerDir, 'nodejs', 'node_modules') } : {}),
          environment,
          rounds: ROUNDS,
        })
      : [];
    const budget = hasDuckDb
      ? unzipped <= LAMBDA_UNZIPPED_LIMIT - UNZIPPED_HEADROOM
      : zipped <= ZIPPED_BUDGET;
    if (!budget) overBudget.push(name);
    rows.push(
      [
        name,
        fn.function.architecture.name,
        hasDuckDb ? 'yes' : 'no',
        (zipped / MB).toFixed(2),
        (unzipped / MB).toFixed(1),
        times.length > 0
          ? `${median(times).toFixed(0)} (${Math.min(...times).toFixed(0)}-${Math.max(...times).toFixed(0)})`
          : `n/a on ${process.arch}`,
        budget ? 'ok' : 'OVER',
      ].join(' | '),
    );
  }

  console.log(
    `Lambda bundles of stack ${stack.stackName} (synth with bundling: ${synthSeconds.toFixed(1)} s, Node ${process.version})`,
  );
  console.log(
    `DuckDB layer ${duckDbLayer.binding}: ${(layerBytes / MB).toFixed(1)} MB unzipped, ${((await zippedBytes(layerDir)) / MB).toFixed(1)} MB zipped`,
  );
  console.log('');
  console.log(
    '| function | arch | DuckDB | zipped MB | unzipped MB (with layer) | cold import ms, median (min-max) | budget |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row} |`);
  console.log('');
  console.log(
    `budgets: ${(ZIPPED_BUDGET / MB).toFixed(1)} MB zipped without DuckDB; ${((LAMBDA_UNZIPPED_LIMIT - UNZIPPED_HEADROOM) / MB).toFixed(0)} MB unzipped with DuckDB (Lambda's limit 250 MB less 50 MB headroom); ${ROUNDS} fresh processes per bundle`,
  );
  if (overBudget.length > 0) {
    console.error(`over budget: ${overBudget.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}
