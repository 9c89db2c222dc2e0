/** The data-quality section of `etl show`: each validate node's rules, summed over its chunks. */
import type { RuleTotals } from '../../quality/run-quality.ts';
import { formatCount, renderTable } from '../format.ts';

export { readQuality, sumQuality } from '../../quality/run-quality.ts';

export function renderQuality(byNode: ReadonlyMap<string, readonly RuleTotals[]>): string {
  const rows = [...byNode].flatMap(([nodeId, rules]) =>
    rules.map((rule) => [
      nodeId,
      rule.rule,
      rule.severity,
      formatCount(rule.checked),
      formatCount(rule.passed),
      formatCount(rule.failed),
      rule.examples.map((example) => JSON.stringify(example)).join(', '),
    ]),
  );
  return renderTable(['node', 'rule', 'severity', 'checked>', 'passed>', 'failed>', 'examples'], rows);
}
