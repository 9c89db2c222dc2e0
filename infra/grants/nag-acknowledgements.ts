/**
 * Acknowledging cdk-nag findings precisely. cdk-nag 3 names each wildcard
 * finding after the resource it flags (`AwsSolutions-IAM5[Resource::<Staging.Arn>/runs/*]`)
 * and an acknowledgment must name that exact finding, so the names are
 * derived here from the same values the policies use, never retyped.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The flat form cdk-nag gives a resolved CloudFormation value (its `flattenCfnReference`). */
export function flattenForNag(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (isRecord(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [unknown, unknown];
      return (Array.isArray(items) ? items : []).map(flattenForNag).join(String(delimiter));
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flattenForNag).join('.')}>`;
    if (value.Ref !== undefined) return `<${flattenForNag(value.Ref)}>`;
    if (value['Fn::Sub'] !== undefined) return flattenForNag(value['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/** Acknowledges AwsSolutions-IAM5 for each wildcard resource among `resources`, on `scope` and below. */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenForNag(stack.resolve(resource));
    if (flat.includes('*')) {
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}
