import { App } from 'aws-cdk-lib';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings } from '../../../infra/settings.ts';

const settingsOf = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('readSettings', () => {
  it('needs no context at all', () => {
    expect(settingsOf({})).toStrictEqual({
      stackName: DEFAULT_SETTINGS.stackName,
      organization: 'default',
      pipelinesDir: 'infra/pipelines',
      duckDbArchitecture: Architecture.X86_64,
      extraSourceBuckets: [],
      extraTargetBuckets: [],
      consoleDir: 'web/dist',
    });
  });

  it('reads every setting from context, lists split on commas', () => {
    const settings = settingsOf({
      'etl:stackName': 'EtlDev',
      'etl:organization': 'acme',
      'etl:pipelinesDir': 'examples',
      'etl:duckdbArchitecture': 'arm64',
      'etl:notificationEmail': 'data@example.com',
      'etl:sourceBuckets': 'raw-a, raw-b,',
      'etl:targetBuckets': 'lake',
      'etl:consoleDir': 'web/build',
    });

    expect(settings).toStrictEqual({
      stackName: 'EtlDev',
      organization: 'acme',
      pipelinesDir: 'examples',
      duckDbArchitecture: Architecture.ARM_64,
      notificationEmail: 'data@example.com',
      extraSourceBuckets: ['raw-a', 'raw-b'],
      extraTargetBuckets: ['lake'],
      consoleDir: 'web/build',
    });
  });

  it('fails when the DuckDB architecture is neither x86_64 nor arm64', () => {
    expect(() => settingsOf({ 'etl:duckdbArchitecture': 'riscv' })).toThrow(
      'context etl:duckdbArchitecture must be x86_64 or arm64, got riscv',
    );
  });

  it('fails when a setting is not a string', () => {
    expect(() => settingsOf({ 'etl:organization': 42 })).toThrow(
      'context etl:organization must be a string, got 42',
    );
  });
});
