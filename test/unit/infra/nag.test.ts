/**
 * cdk-nag's AwsSolutions checks over the whole app, as `npm run synth` runs
 * them: synthesis throws on any finding that is not acknowledged, and every
 * acknowledgment must say why.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { NO_BUNDLING, platformApp } from './synth.ts';

/** Every acknowledgment in the tree: construct path, rule id and reason. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

async function consoleBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'etl-console-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ETL</title>');
  return dir;
}

describe('AwsSolutionsChecks', () => {
  it('finds nothing unacknowledged in the whole app, console deployment and pipelines included', async () => {
    const { app } = await platformApp({ 'etl:consoleDir': await consoleBuild() }, { policyChecks: true });

    // An unacknowledged finding makes synthesis throw with the full report.
    expect(() => app.synth()).not.toThrow();
  });

  it('states a reason for every acknowledgment', async () => {
    const { app } = await platformApp({ 'etl:consoleDir': await consoleBuild() }, { policyChecks: true });

    const found = acknowledgments(app);

    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) {
      // CDK records an id without a known plugin prefix as `Annotation::<id>`; cdk-nag strips it.
      expect(id, path).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Careless');
    new Bucket(stack, 'NoLogs', { enforceSSL: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
