import { describe, expect, it } from 'vitest';
import { cleanModule } from '../../../../functions/transforms/clean/module.ts';
import { deriveModule } from '../../../../functions/transforms/derive/module.ts';
import { joinLineage } from '../../../../functions/transforms/join/lineage.ts';
import { JoinConfigSchema } from '../../../../functions/transforms/join/module.ts';
import { selectModule } from '../../../../functions/transforms/select/module.ts';
import { sqlLineage } from '../../../../functions/transforms/sql/lineage.ts';
import { unionLineage } from '../../../../functions/transforms/union/lineage.ts';
import { SCHEMA_KERNELS } from '../../../../shared/lineage/schema-kernels.ts';
import type { LineageColumns } from '../../../../shared/lineage/types.ts';
import type { ColumnInfo } from '../../../../shared/modules/kernels.ts';
import { registry } from '../../../../shared/modules/registry.ts';

// Birdstrikes' own header: names with spaces and `$`.
const BIRDSTRIKES: ColumnInfo[] = [
  { name: 'Airport Name', type: 'VARCHAR' },
  { name: 'Origin State', type: 'VARCHAR' },
  { name: 'Cost Repair', type: 'BIGINT' },
  { name: 'Cost Other', type: 'BIGINT' },
  { name: 'Cost Total $', type: 'BIGINT' },
];
const named = (...names: string[]): ColumnInfo[] => names.map((name) => ({ name, type: 'UNKNOWN' }));
const columns = (outputs: ColumnInfo[], inputs: ColumnInfo[][] = [BIRDSTRIKES]): LineageColumns => ({
  inputs,
  outputs,
});
const from = (...names: string[]) => names.map((column) => ({ input: 0, column }));

describe('module lineage declarations', () => {
  it('covers every transform: a lineage function and a kernel to describe its output', () => {
    const transforms = registry.list().filter((module) => module.kind === 'transformer');

    expect(transforms.filter((module) => module.lineage === undefined).map((m) => m.name)).toStrictEqual([]);
    expect(
      transforms.filter((module) => SCHEMA_KERNELS[module.name] === undefined).map((m) => m.name),
    ).toStrictEqual([]);
  });
});

describe('sqlLineage', () => {
  const lineage = (query: string, outputs: ColumnInfo[]) => sqlLineage({ query }, columns(outputs));

  it('tells plain, renamed, computed and aggregated columns apart', async () => {
    const result = await lineage(
      'SELECT "Airport Name" AS airport, upper("Origin State"), sum("Cost Repair" + "Cost Other") AS cost FROM input GROUP BY ALL',
      named('airport', 'upper("Origin State")', 'cost'),
    );

    expect(result).toStrictEqual([
      { output: 'airport', inputs: from('Airport Name'), kind: 'direct' },
      { output: 'upper("Origin State")', inputs: from('Origin State'), kind: 'derived' },
      { output: 'cost', inputs: from('Cost Repair', 'Cost Other'), kind: 'aggregated' },
    ]);
  });

  it('expands * with EXCLUDE and REPLACE, and marks columns filtered under WHERE', async () => {
    const result = await lineage(
      'SELECT * EXCLUDE ("Cost Other") REPLACE ("Cost Repair" * 2 AS "Cost Repair") FROM input WHERE "Cost Total $" > 0',
      named('Airport Name', 'Origin State', 'Cost Repair', 'Cost Total $'),
    );

    expect(
      result.map((entry) => [entry.output, entry.kind, entry.inputs.map((ref) => ref.column)]),
    ).toStrictEqual([
      ['Airport Name', 'filtered', ['Airport Name']],
      ['Origin State', 'filtered', ['Origin State']],
      ['Cost Repair', 'derived', ['Cost Repair']],
      ['Cost Total $', 'filtered', ['Cost Total $']],
    ]);
  });

  it('falls back to same-named columns, else everything read, for a query with a CTE', async () => {
    const result = await lineage(
      'WITH t AS (SELECT "Origin State", "Cost Repair" FROM input) SELECT "Origin State", max("Cost Repair") AS m FROM t GROUP BY 1',
      named('Origin State', 'm'),
    );

    expect(result).toStrictEqual([
      { output: 'Origin State', inputs: from('Origin State'), kind: 'derived' },
      { output: 'm', inputs: from('Origin State', 'Cost Repair'), kind: 'derived' },
    ]);
  });
});

describe('deriveLineage', () => {
  it('follows a derived column through the ones derived before it', async () => {
    const config = deriveModule.configSchema.parse({
      columns: [
        { name: 'parts', expression: '"Cost Repair" + "cost other"' },
        { name: 'Cost Total $', expression: 'parts / 1000.0' },
      ],
    });

    const result = await deriveModule.lineage?.(config, columns([...BIRDSTRIKES, ...named('parts')]));

    expect(result?.slice(4)).toStrictEqual([
      { output: 'Cost Total $', inputs: from('Cost Repair', 'Cost Other'), kind: 'derived' },
      { output: 'parts', inputs: from('Cost Repair', 'Cost Other'), kind: 'derived' },
    ]);
    expect(result?.[0]).toStrictEqual({
      output: 'Airport Name',
      inputs: from('Airport Name'),
      kind: 'direct',
    });
  });
});

describe('selectLineage and cleanLineage', () => {
  it('maps renamed columns to their input and marks casts derived', async () => {
    const config = selectModule.configSchema.parse({
      columns: ['origin state', 'Cost Total $'],
      rename: { 'Cost Total $': 'total' },
      cast: { 'Origin State': 'VARCHAR(2)' },
    });

    expect(await selectModule.lineage?.(config, columns(named('origin state', 'total')))).toStrictEqual([
      { output: 'Origin State', inputs: from('Origin State'), kind: 'derived' },
      { output: 'total', inputs: from('Cost Total $'), kind: 'direct' },
    ]);
  });

  it('marks trimmed text columns derived and the rest filtered when clean drops duplicates', async () => {
    const config = cleanModule.configSchema.parse({ trim: true, dedup_by: ['Airport Name'] });

    const kinds = (await cleanModule.lineage?.(config, columns(BIRDSTRIKES)))?.map((entry) => entry.kind);

    expect(kinds).toStrictEqual(['derived', 'derived', 'filtered', 'filtered', 'filtered']);
  });
});

describe('joinLineage and unionLineage', () => {
  const right: ColumnInfo[] = [
    { name: 'Origin State', type: 'VARCHAR' },
    { name: 'Cost Repair', type: 'BIGINT' },
    { name: 'region', type: 'VARCHAR' },
  ];

  it('takes a shared key from both sides and suffixed right columns from the right', async () => {
    const config = JoinConfigSchema.parse({ on: [{ left: 'Origin State', right: 'Origin State' }] });
    const outputs = [...BIRDSTRIKES, ...named('Cost Repair_right', 'region')];

    const result = await joinLineage(config, columns(outputs, [BIRDSTRIKES, right]));

    expect(result[1]?.inputs).toStrictEqual([
      { input: 0, column: 'Origin State' },
      { input: 1, column: 'Origin State' },
    ]);
    expect(result.slice(5).map((entry) => entry.inputs)).toStrictEqual([
      [{ input: 1, column: 'Cost Repair' }],
      [{ input: 1, column: 'region' }],
    ]);
  });

  it('takes each column from every input that has it', async () => {
    const result = await unionLineage(
      { distinct: true },
      columns(named('Origin State', 'region'), [BIRDSTRIKES, right]),
    );

    expect(result).toStrictEqual([
      {
        output: 'Origin State',
        inputs: [
          { input: 0, column: 'Origin State' },
          { input: 1, column: 'Origin State' },
        ],
        kind: 'filtered',
      },
      { output: 'region', inputs: [{ input: 1, column: 'region' }], kind: 'filtered' },
    ]);
  });
});
