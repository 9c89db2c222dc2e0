import { describe, expect, it } from 'vitest';
import {
  CONTROL_FINALIZE,
  CONTROL_INIT,
  CONTROL_ON_FAILURE,
  deployedArnResolver,
  functionNameFromLocalArn,
  localFunctionArn,
} from '../../../statemachines/function-names.ts';

describe('localFunctionArn', () => {
  it('names the function etl-<name> in the local account', () => {
    expect(localFunctionArn('s3-csv')).toBe('arn:aws:lambda:us-east-1:000000000000:function:etl-s3-csv');
  });

  it('round-trips through functionNameFromLocalArn', () => {
    for (const name of ['s3-csv', 'filter', CONTROL_INIT, CONTROL_FINALIZE, CONTROL_ON_FAILURE]) {
      expect(functionNameFromLocalArn(localFunctionArn(name))).toBe(name);
    }
  });
});

describe('functionNameFromLocalArn', () => {
  it('returns undefined for ARNs it did not make', () => {
    expect(
      functionNameFromLocalArn('arn:aws:lambda:eu-west-1:123456789012:function:etl-filter'),
    ).toBeUndefined();
    expect(functionNameFromLocalArn('arn:aws:lambda:us-east-1:000000000000:function:other')).toBeUndefined();
    expect(functionNameFromLocalArn('arn:aws:lambda:us-east-1:000000000000:function:etl-')).toBeUndefined();
  });
});

describe('deployedArnResolver', () => {
  it('returns the deployed ARN', () => {
    const resolve = deployedArnResolver({ filter: 'arn:aws:lambda:eu-west-1:123456789012:function:f' });

    expect(resolve('filter')).toBe('arn:aws:lambda:eu-west-1:123456789012:function:f');
  });

  it('fails when the function was not deployed, naming it', () => {
    const resolve = deployedArnResolver({ filter: 'arn:f', derive: 'arn:d' });

    expect(() => resolve('s3-csv')).toThrow(
      'no deployed Lambda function for "s3-csv" (deployed: derive, filter)',
    );
  });

  it('fails when the name only exists on the object prototype', () => {
    expect(() => deployedArnResolver({})('toString')).toThrow(
      'no deployed Lambda function for "toString" (deployed: none)',
    );
  });
});
