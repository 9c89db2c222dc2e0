/**
 * Schema drift between the files of one CSV source, under each policy:
 * `fail` names the file and columns, `evolve` reads the union of columns,
 * `quarantine` sends the drifting files' rows to the rejects.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import type { SchemaDriftPolicy } from '../../shared/chunks/schema-drift.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

type Row = Record<string, string>;

function csv(columns: readonly string[], rows: readonly Row[]): string {
  return `${[columns.join(','), ...rows.map((row) => columns.map((column) => row[column] ?? '').join(','))].join('\n')}\n`;
}

function pipeline(policy: SchemaDriftPolicy, prefix: string) {
  return PipelineSchema.parse({
    name: `drift-${policy}`,
    nodes: [
      {
        id: 'weather',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'weather/', schema_drift: policy },
      },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: [{ source: 'weather', target: 'out' }],
    execution: { chunk_size_bytes: 16 * 1024, max_reject_ratio: 1 },
  });
}

describe('schema drift across the files of a CSV source', () => {
  let env: TestEnvironment;
  const sizes = { base: 0, added: 0, dropped: 0 };

  beforeAll(async () => {
    env = await startTestEnvironment();
    const [header = '', ...lines] = (await readFile(join(SHARED_DATA, 'weather.csv'), 'utf8'))
      .trim()
      .split('\n');
    const columns = header.split(',');
    const rows = lines.map(
      (line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])) as Row,
    );
    const base = rows.slice(0, 600);
    // A new column, and a file that lacks `precipitation` and has whole-number temperatures.
    const added = rows.slice(600, 1000).map((row, i) => ({ ...row, humidity: String(40 + (i % 50)) }));
    const dropped = rows
      .slice(1000)
      .map((row) => ({ ...row, temp_max: String(Math.round(Number(row.temp_max))) }));
    Object.assign(sizes, { base: base.length, added: added.length, dropped: dropped.length });
    const files: [string, string][] = [
      ['1-base.csv', csv(columns, base)],
      ['2-added.csv', csv([...columns, 'humidity'], added)],
      [
        '3-dropped.csv',
        csv(
          columns.filter((column) => column !== 'precipitation'),
          dropped,
        ),
      ],
    ];
    for (const [name, text] of files) {
      const path = join(env.scratch, name);
      await writeFile(path, text);
      await putLocalFile(env, path, 'raw', `weather/${name}`);
    }
  });
  afterAll(() => env.close());

  it('fails by default, naming the drifting file and its columns', async () => {
    const result = await runPipelineLocally(pipeline('fail', 'fail/'), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.nodeId).toBe('weather');
    expect(result.run.error?.message).toContain(
      'schema drift: s3://raw/weather/2-added.csv differs from s3://raw/weather/1-base.csv: new column(s) humidity',
    );
    expect(result.run.error?.message).toContain('2 file(s) drift');
  });

  it('evolves to the union of columns: new ones nullable, numbers widened', async () => {
    const result = await runPipelineLocally(pipeline('evolve', 'evolve/'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const [summary] = await queryDataset(
      env,
      'lake',
      'evolve/',
      `SELECT count(*)::INTEGER AS n,
              count(humidity)::INTEGER AS with_humidity,
              count(*) FILTER (WHERE precipitation IS NULL)::INTEGER AS without_precipitation,
              any_value(typeof(temp_max)) AS temp_type,
              any_value(typeof(humidity)) AS humidity_type
       FROM dataset`,
    );
    expect(summary).toStrictEqual({
      n: sizes.base + sizes.added + sizes.dropped,
      with_humidity: sizes.added,
      without_precipitation: sizes.dropped,
      temp_type: 'DOUBLE',
      humidity_type: 'BIGINT',
    });
  });

  it("quarantines the drifting files' rows with their lines and the drift", async () => {
    const result = await runPipelineLocally(pipeline('quarantine', 'quarantine/'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const node = result.nodes.find((candidate) => candidate.nodeId === 'weather');
    expect(node).toMatchObject({
      rowsIn: sizes.base + sizes.added + sizes.dropped,
      rowsOut: sizes.base,
      rowsRejected: sizes.added + sizes.dropped,
    });
    const rejects = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'weather'),
      `SELECT source, count(*)::INTEGER AS n, min(line)::INTEGER AS first, max(line)::INTEGER AS last,
              any_value(error_type) AS type, any_value(reason) AS reason
       FROM dataset GROUP BY source ORDER BY source`,
    );
    expect(rejects).toStrictEqual([
      {
        source: 's3://raw/weather/2-added.csv',
        n: sizes.added,
        first: 2,
        last: sizes.added + 1,
        type: 'SCHEMA DRIFT',
        reason: 'schema drift: new column(s) humidity',
      },
      {
        source: 's3://raw/weather/3-dropped.csv',
        n: sizes.dropped,
        first: 2,
        last: sizes.dropped + 1,
        type: 'SCHEMA DRIFT',
        reason: 'schema drift: missing column(s) precipitation; changed type(s) temp_max DOUBLE -> BIGINT',
      },
    ]);
  });
});

describe('values a CSV chunk would read differently from the type planned from the first rows', () => {
  let env: TestEnvironment;
  let cars: Record<string, unknown>[];
  const COLUMNS = ['Name', 'Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Year', 'Origin'];

  beforeAll(async () => {
    env = await startTestEnvironment();
    // cars.json as CSV: Miles_per_Gallon holds whole numbers for 194 rows, then 17.5 and such.
    cars = JSON.parse(await readFile(join(SHARED_DATA, 'cars.json'), 'utf8')) as Record<string, unknown>[];
    const rows = cars.map((car) =>
      Object.fromEntries(COLUMNS.map((c) => [c, car[c] === null ? '' : String(car[c])])),
    );
    const path = join(env.scratch, 'cars.csv');
    await writeFile(path, csv(COLUMNS, rows));
    await putLocalFile(env, path, 'raw', 'cars-csv/cars.csv');
  });
  afterAll(() => env.close());

  function carsPipeline(policy: SchemaDriftPolicy, prefix: string, columns?: Record<string, string>) {
    return PipelineSchema.parse({
      name: `csv-cast-${policy}`,
      nodes: [
        {
          id: 'cars',
          type: 'extractor',
          module: 's3-csv',
          config: {
            bucket: 'raw',
            prefix: 'cars-csv/',
            schema_drift: policy,
            ...(columns ? { columns } : {}),
          },
        },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
      ],
      edges: [{ source: 'cars', target: 'out' }],
      execution: { chunk_size_bytes: 8 * 1024, max_reject_ratio: 1 },
    });
  }

  it('fails naming the column, its type and the value DuckDB would have rounded', async () => {
    const result = await runPipelineLocally(carsPipeline('fail', 'cars-fail/'), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.message).toMatch(
      /schema drift in s3:\/\/raw\/cars-csv\/cars\.csv bytes \d+-\d+ \(data records \d+-\d+ of the file\): value\(s\) the column type planned from the file's first rows would change: Miles_per_Gallon BIGINT holds '\d+\.\d+'/,
    );
  });

  it("quarantines those chunks' records, every other row read", async () => {
    const result = await runPipelineLocally(carsPipeline('quarantine', 'cars-quarantine/'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const node = result.nodes.find((candidate) => candidate.nodeId === 'cars');
    expect(node?.rowsIn).toBe(cars.length);
    expect((node?.rowsOut ?? 0) + (node?.rowsRejected ?? 0)).toBe(cars.length);
    const [rejected] = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'cars'),
      `SELECT count(*)::INTEGER AS n, min(line)::INTEGER AS first, count(DISTINCT reason)::INTEGER AS reasons,
              bool_and(reason LIKE 'schema drift: %Miles_per_Gallon BIGINT holds%') AS named FROM dataset`,
    );
    // The first fraction is on data record 195 (line 196): its chunk and every later one with one.
    expect(rejected).toMatchObject({ n: node?.rowsRejected, named: true });
    expect(rejected?.first).toBeGreaterThan(100);
    expect(rejected?.first).toBeLessThanOrEqual(196);
    const [kept] = await queryDataset(
      env,
      'lake',
      'cars-quarantine/',
      'SELECT count(*)::INTEGER AS n FROM dataset',
    );
    expect(kept?.n).toBe(node?.rowsOut);
  });

  it('reads every value as written once the type is declared, equal to DuckDB over the whole file', async () => {
    const result = await runPipelineLocally(
      carsPipeline('fail', 'cars-declared/', { Miles_per_Gallon: 'DOUBLE' }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const totals = 'SELECT count(*)::INTEGER AS n, sum(Miles_per_Gallon)::DOUBLE AS mpg FROM ';
    const published = await queryDataset(env, 'lake', 'cars-declared/', `${totals} dataset`);
    expect(published).toStrictEqual(
      await queryDirectly(`${totals} read_json('${join(SHARED_DATA, 'cars.json')}')`),
    );
  });
});

describe('schema drift in a JSON source', () => {
  let env: TestEnvironment;
  let cars: Record<string, unknown>[];

  beforeAll(async () => {
    env = await startTestEnvironment();
    cars = JSON.parse(await readFile(join(SHARED_DATA, 'cars.json'), 'utf8')) as Record<string, unknown>[];
    // NDJSON where records past the first chunk gain a field the plan never saw.
    const lines = cars.map((car, i) => JSON.stringify(i < 300 ? car : { ...car, Recall: i % 7 === 0 }));
    const path = join(env.scratch, 'cars.ndjson');
    await writeFile(path, `${lines.join('\n')}\n`);
    await putLocalFile(env, path, 'raw', 'cars/cars.ndjson');
    // The same records as they are: Miles_per_Gallon holds whole numbers up to line 194, then 17.5 and such.
    const plainPath = join(env.scratch, 'cars-plain.ndjson');
    await writeFile(plainPath, `${cars.map((car) => JSON.stringify(car)).join('\n')}\n`);
    await putLocalFile(env, plainPath, 'raw', 'cars-plain/cars.ndjson');
  });
  afterAll(() => env.close());

  function jsonPipeline(
    policy: SchemaDriftPolicy,
    source: { prefix: string; columns?: Record<string, string> } = {
      prefix: 'cars/',
      // Declared, so these tests see the new field alone (the type change has tests of its own below).
      columns: { Miles_per_Gallon: 'DOUBLE' },
    },
  ) {
    return PipelineSchema.parse({
      name: `json-drift-${policy}`,
      nodes: [
        {
          id: 'cars',
          type: 'extractor',
          module: 's3-json',
          config: { bucket: 'raw', schema_drift: policy, ...source },
        },
        {
          id: 'out',
          type: 'loader',
          module: 's3-parquet',
          config: {
            bucket: 'lake',
            prefix: `${source.prefix}${policy}-${Object.keys(source.columns ?? {}).length}/`,
          },
        },
      ],
      edges: [{ source: 'cars', target: 'out' }],
      execution: { chunk_size_bytes: 16 * 1024, max_reject_ratio: 1 },
    });
  }

  it('fails naming the file, lines and the field rather than dropping it', async () => {
    const result = await runPipelineLocally(jsonPipeline('fail'), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.message).toMatch(
      /schema drift in s3:\/\/raw\/cars\/cars\.ndjson lines \d+-\d+: new field\(s\) Recall/,
    );
  });

  it('quarantines the records of chunks with unplanned fields, keeping every other row', async () => {
    const result = await runPipelineLocally(jsonPipeline('quarantine'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const node = result.nodes.find((candidate) => candidate.nodeId === 'cars');
    expect(node?.rowsIn).toBe(cars.length);
    expect(node?.rowsRejected).toBeGreaterThanOrEqual(cars.length - 300);
    expect((node?.rowsOut ?? 0) + (node?.rowsRejected ?? 0)).toBe(cars.length);
    const [rejected] = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'cars'),
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE raw LIKE '%"Recall"%')::INTEGER AS with_field,
              min(line)::INTEGER AS first FROM dataset`,
    );
    expect(rejected?.n).toBe(node?.rowsRejected);
    expect(rejected?.with_field).toBe(cars.length - 300);
    expect(rejected?.first).toBeLessThanOrEqual(301);
  });

  it("fails when a later chunk's numbers would be rounded into the type planned from the first, naming field and line", async () => {
    const result = await runPipelineLocally(jsonPipeline('fail', { prefix: 'cars-plain/' }), env.services);

    expect(result.run.status).toBe('failed');
    // Read as the plan's BIGINT, 17.5 would have become 18 without a word.
    expect(result.run.error?.message).toMatch(
      /schema drift in s3:\/\/raw\/cars-plain\/cars\.ndjson lines \d+-\d+: value\(s\) the type planned from the file's first chunk would change: Miles_per_Gallon BIGINT holds \d+\.\d+ \(line \d+\)/,
    );
  });

  it('reads every value as it is once the type is declared, equal to DuckDB over the whole file', async () => {
    const declared = { prefix: 'cars-plain/', columns: { Miles_per_Gallon: 'DOUBLE' } };
    const result = await runPipelineLocally(jsonPipeline('fail', declared), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const totals =
      'SELECT count(*)::INTEGER AS n, sum(Miles_per_Gallon)::DOUBLE AS mpg, sum(Acceleration)::DOUBLE AS acceleration FROM ';
    const published = await queryDataset(env, 'lake', 'cars-plain/fail-1/', `${totals} dataset`);
    const expected = await queryDirectly(`${totals} read_json('${join(SHARED_DATA, 'cars.json')}')`);
    expect(published).toStrictEqual(expected);
  });
});
