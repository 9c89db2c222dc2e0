/**
 * A role's effective permissions as sorted lines `action resource [conditions]`,
 * read from every policy attached to it in a template. Statement order and
 * merging (CDK minimizes policies) do not matter, only what is allowed.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { flattenForNag } from '../../../infra/grants/nag-acknowledgements.ts';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

export function permissionLines(template: Template, roleLogicalId: string): string[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  const lines = new Set<string>();
  for (const policy of Object.values(policies)) {
    const statements = (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
      .PolicyDocument.Statement;
    for (const statement of statements) {
      if (statement.Effect !== 'Allow') continue;
      const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
      for (const action of asArray(statement.Action)) {
        for (const resource of asArray(statement.Resource)) {
          lines.add(`${action} ${flattenForNag(resource)}${condition}`);
        }
      }
    }
  }
  return [...lines].sort();
}
