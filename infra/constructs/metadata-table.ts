/**
 * The control plane's single DynamoDB table. Its key schema is read from
 * `shared/store/table-definition.ts`, the one the local runtime creates, so
 * cloud and local tables cannot drift apart.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { type Attribute, AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { metadataTableDefinition } from '../../shared/store/table-definition.ts';

export interface MetadataTableProps {
  /**
   * Attribute holding an item's expiry (epoch seconds) for DynamoDB TTL.
   * @default 'expiresAt'
   */
  readonly timeToLiveAttribute?: string;
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN (run history and audit trail outlive the stack)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Partition and sort key of the shared definition, as CDK attributes. */
export function metadataKeySchema(): { partitionKey: Attribute; sortKey: Attribute } {
  const definition = metadataTableDefinition('metadata');
  const typeOf = (name: string): AttributeType => {
    const declared = definition.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
    if (declared === 'S') return AttributeType.STRING;
    if (declared === 'N') return AttributeType.NUMBER;
    if (declared === 'B') return AttributeType.BINARY;
    throw new Error(`metadata table key ${name} has no declared attribute type`);
  };
  const keyNamed = (keyType: 'HASH' | 'RANGE'): Attribute => {
    const name = definition.KeySchema?.find((key) => key.KeyType === keyType)?.AttributeName;
    if (name === undefined) throw new Error(`metadata table definition has no ${keyType} key`);
    return { name, type: typeOf(name) };
  };
  return { partitionKey: keyNamed('HASH'), sortKey: keyNamed('RANGE') };
}

export class MetadataTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: MetadataTableProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      ...metadataKeySchema(),
      // Runs come in bursts (a Map fans out to hundreds of chunks), then nothing.
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: props.timeToLiveAttribute ?? 'expiresAt',
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
