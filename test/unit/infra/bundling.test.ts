/** Real esbuild bundles and the real DuckDB layer, built into a temporary cloud assembly. */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingPackageName, elfCpu } from '../../../infra/bundling/duckdb-binding.ts';
import { DuckDbBindingLayer } from '../../../infra/constructs/duckdb-binding-layer.ts';
import { EtlFunction } from '../../../infra/constructs/etl-function.ts';
import { controlHandlerEntry, moduleHandlerEntry } from '../../../infra/function-entries.ts';
import { registry } from '../../../shared/modules/registry.ts';

const hostCpu = process.arch === 'arm64' ? 'arm64' : 'x64';
const hostArchitecture = hostCpu === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64;

let outdir: string;
let stack: Stack;
let template: Template;
let init: EtlFunction;
let filter: EtlFunction;
let layer: DuckDbBindingLayer;

/** The folder CDK staged a construct's asset into. */
function assetDir(construct: CfnResource): string {
  const logicalId = String(stack.resolve(construct.logicalId));
  const resources = template.toJSON().Resources as Record<string, { Metadata: Record<string, string> }>;
  const path = resources[logicalId]?.Metadata['aws:asset:path'];
  if (path === undefined) throw new Error(`no asset for ${logicalId}`);
  return join(outdir, path);
}

const cfnOf = (fn: EtlFunction) => fn.function.node.defaultChild as CfnResource;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'etl-bundling-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  stack = new Stack(app, 'Bundles');
  const filterModule = registry.get('filter');
  if (filterModule === undefined) throw new Error('the registry has no filter module');

  layer = new DuckDbBindingLayer(stack, 'DuckDb', { architecture: hostArchitecture });
  init = new EtlFunction(stack, 'Init', {
    entry: controlHandlerEntry('control-init'),
    description: 'init',
    memorySizeMb: 512,
    timeout: Duration.seconds(60),
    environment: {},
  });
  filter = new EtlFunction(stack, 'Filter', {
    entry: moduleHandlerEntry(filterModule),
    description: 'filter',
    memorySizeMb: 1769,
    timeout: Duration.seconds(900),
    architecture: hostArchitecture,
    layers: [layer.layer],
    environment: {},
  });
  template = Template.fromStack(stack);
}, 60_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('EtlFunction bundling', () => {
  it('emits a minified ES module with a source map that carries no sources', async () => {
    const dir = assetDir(cfnOf(init));

    expect(readdirSync(dir).sort()).toStrictEqual(['index.mjs', 'index.mjs.map']);
    const code = await readFile(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
    // Minified: lines are whole modules long (a few remain, inside template literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(2000);
    const map = JSON.parse(await readFile(join(dir, 'index.mjs.map'), 'utf8')) as Record<string, unknown>;
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources).toEqual(
      expect.arrayContaining([expect.stringMatching(/functions\/control\/init\.ts$/)]),
    );
  });

  it('leaves the DuckDB binding out of a module bundle, for the layer to provide', async () => {
    const dir = assetDir(cfnOf(filter));

    const code = await readFile(join(dir, 'index.mjs'), 'utf8');
    expect(code).toContain(`${bindingPackageName(hostCpu)}/duckdb.node`);
    expect(
      readdirSync(dir).filter((file) => file.endsWith('.node') || file === 'node_modules'),
    ).toStrictEqual([]);
  });

  it('keeps the control functions free of DuckDB', async () => {
    const code = await readFile(join(assetDir(cfnOf(init)), 'index.mjs'), 'utf8');

    expect(code).not.toContain('@duckdb/node-bindings');
  });
});

describe('DuckDbBindingLayer', () => {
  it("puts the binding for the layer's architecture where Lambda's NODE_PATH finds it", () => {
    const binding = join(
      assetDir(layer.layer.node.defaultChild as CfnResource),
      'nodejs',
      'node_modules',
      bindingPackageName(hostCpu),
    );

    expect(existsSync(join(binding, 'libduckdb.so'))).toBe(true);
    expect(elfCpu(join(binding, 'duckdb.node'))).toBe(hostCpu);
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleArchitectures: [hostArchitecture.name],
      CompatibleRuntimes: ['nodejs22.x'],
      LicenseInfo: 'MIT',
    });
  });
});
