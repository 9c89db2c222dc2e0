import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { moduleNeeds } from '../../../infra/grants/module-needs.ts';
import { flattenForNag } from '../../../infra/grants/nag-acknowledgements.ts';
import { hasDistributedMap } from '../../../infra/grants/state-machine-access.ts';
import { registry } from '../../../shared/modules/registry.ts';
import type { StateGraph } from '../../../statemachines/asl-types.ts';

describe('moduleNeeds', () => {
  it('reads buckets and connections from the config schema', () => {
    expect(
      moduleNeeds({ configSchema: z.object({ bucket: z.string(), prefix: z.string().default('') }) }),
    ).toStrictEqual({ buckets: true, connectionSecrets: false, dynamodbTables: false });
    expect(
      moduleNeeds({ configSchema: z.strictObject({ connection: z.string(), query: z.string() }) }),
    ).toStrictEqual({
      buckets: false,
      connectionSecrets: true,
      dynamodbTables: false,
    });
    expect(moduleNeeds({ configSchema: z.object({ expression: z.string() }) })).toStrictEqual({
      buckets: false,
      connectionSecrets: false,
      dynamodbTables: false,
    });
    expect(
      moduleNeeds({
        configSchema: z.object({ table: z.string().meta({ 'x-etl-resource': 'dynamodb-table' }) }),
      }),
    ).toStrictEqual({ buckets: false, connectionSecrets: false, dynamodbTables: true });
  });

  it('gives S3 connectors buckets and transforms nothing', () => {
    const needs = (name: string) => {
      const module = registry.get(name);
      if (module === undefined) throw new Error(`no module ${name}`);
      return moduleNeeds(module);
    };

    expect(needs('s3-csv')).toStrictEqual({ buckets: true, connectionSecrets: false, dynamodbTables: false });
    expect(needs('s3-parquet')).toStrictEqual({
      buckets: true,
      connectionSecrets: false,
      dynamodbTables: false,
    });
    expect(needs('s3-csv-load')).toStrictEqual({
      buckets: true,
      connectionSecrets: false,
      dynamodbTables: false,
    });
    expect(needs('filter')).toStrictEqual({
      buckets: false,
      connectionSecrets: false,
      dynamodbTables: false,
    });
    expect(needs('webhook')).toStrictEqual({
      buckets: false,
      connectionSecrets: true,
      dynamodbTables: false,
    });
    expect(needs('dynamodb')).toStrictEqual({
      buckets: false,
      connectionSecrets: false,
      dynamodbTables: true,
    });
    expect(needs('dynamodb-load')).toStrictEqual({
      buckets: false,
      connectionSecrets: false,
      dynamodbTables: true,
    });
  });
});

describe('flattenForNag', () => {
  it('flattens joins, attributes, references and pseudo parameters as cdk-nag names findings', () => {
    const resolved = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::GetAtt': ['Staging1234', 'Arn'] }, '/runs/*'],
      ],
    };

    expect(flattenForNag(resolved)).toBe('arn:<AWS::Partition>:s3:::<Staging1234.Arn>/runs/*');
    expect(flattenForNag('*')).toBe('*');
  });
});

describe('hasDistributedMap', () => {
  const map = (mode: 'INLINE' | 'DISTRIBUTED', inner: StateGraph['States'] = { Done: fail }) =>
    ({
      Type: 'Map',
      ItemsPath: '$.chunks',
      ItemSelector: {},
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: mode }, StartAt: 'Done', States: inner },
      End: true,
    }) as unknown as StateGraph['States'][string];
  const fail = {
    Type: 'Fail',
    ErrorPath: '$.error.Error',
    CausePath: '$.error.Cause',
  } as StateGraph['States'][string];

  it('finds a Distributed Map at the top, inside a Map and inside a Parallel branch', () => {
    const parallel = {
      Type: 'Parallel',
      Branches: [{ StartAt: 'M', States: { M: map('DISTRIBUTED') } }],
      ResultPath: null,
      End: true,
    } as unknown as StateGraph['States'][string];

    expect(hasDistributedMap({ StartAt: 'M', States: { M: map('DISTRIBUTED') } })).toBe(true);
    expect(hasDistributedMap({ StartAt: 'M', States: { M: map('INLINE', { N: map('DISTRIBUTED') }) } })).toBe(
      true,
    );
    expect(hasDistributedMap({ StartAt: 'P', States: { P: parallel } })).toBe(true);
  });

  it('is false for inline Maps only', () => {
    expect(hasDistributedMap({ StartAt: 'M', States: { M: map('INLINE'), F: fail } })).toBe(false);
  });
});
