/**
 * The `s3-xlsx` and `s3-xml` extractors on real data: the Seattle weather
 * CSV (2,922 rows) converted in the test into an Excel workbook (the data on
 * its second sheet, with a formula column) and into XML (attributes and
 * child elements); each read back equals DuckDB reading the original CSV.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';
import { WEATHER_SOURCE, WEATHER_TYPED_COLUMNS } from './weather-loads.ts';

const BUCKET = 'document-sources';

interface WeatherRow {
  location: string;
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

let env: TestEnvironment;
let source: WeatherRow[];

function copyPipeline(module: string, config: Record<string, unknown>, prefix: string) {
  return PipelineSchema.parse({
    name: `${module} copy`,
    nodes: [
      { id: 'src', type: 'extractor', module, config: { bucket: BUCKET, ...config } },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix } },
    ],
    edges: [{ source: 'src', target: 'out' }],
  });
}

async function sortedSource(): Promise<Record<string, unknown>[]> {
  return queryDirectly(
    `SELECT ${WEATHER_TYPED_COLUMNS} FROM read_csv('${WEATHER_SOURCE}') ORDER BY location, date`,
  );
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}

beforeAll(async () => {
  env = await startTestEnvironment();
  source = (await queryDirectly(
    `SELECT location, CAST(date AS VARCHAR) AS date, precipitation, temp_max, temp_min, wind, weather FROM read_csv('${WEATHER_SOURCE}')`,
  )) as unknown as WeatherRow[];
});
afterAll(() => env?.close());

describe('s3-xlsx', () => {
  it('reads the named sheet with typed cells and formula results, equal to the source', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('notes').addRow(['exported from weather.csv']);
    const sheet = workbook.addWorksheet('weather');
    sheet.addRow(['location', 'date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather', 'spread']);
    for (const row of source) {
      const added = sheet.addRow([
        row.location,
        new Date(`${row.date}T00:00:00Z`),
        Number(row.precipitation),
        Number(row.temp_max),
        Number(row.temp_min),
        Number(row.wind),
        row.weather,
      ]);
      added.getCell(8).value = {
        formula: `D${added.number}-E${added.number}`,
        result: Number(row.temp_max) - Number(row.temp_min),
      };
    }
    const path = join(env.scratch, 'weather.xlsx');
    await workbook.xlsx.writeFile(path);
    await putLocalFile(env, path, BUCKET, 'xlsx/weather.xlsx');

    const result = await runPipelineLocally(
      copyPipeline('s3-xlsx', { prefix: 'xlsx/', sheet: 'weather' }, 'from-xlsx/'),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const rows = await queryDataset(
      env,
      BUCKET,
      'from-xlsx/',
      `SELECT ${WEATHER_TYPED_COLUMNS} FROM dataset ORDER BY location, date`,
    );
    expect(rows).toStrictEqual(await sortedSource());
    const [spread] = await queryDataset(
      env,
      BUCKET,
      'from-xlsx/',
      'SELECT count(*) FILTER (WHERE abs(spread - (temp_max - temp_min)) > 1e-9) AS wrong FROM dataset',
    );
    expect(Number(spread?.wrong)).toBe(0);
  });

  it('fails naming the sheets when the sheet does not exist', async () => {
    const result = await runPipelineLocally(
      copyPipeline('s3-xlsx', { prefix: 'xlsx/', sheet: 'missing' }, 'never/'),
      env.services,
    );

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.message).toMatch(
      /weather\.xlsx has no sheet "missing"; its sheets: notes, weather/,
    );
  });
});

describe('s3-xml', () => {
  it('reads a repeated element with attributes and children, equal to the source', async () => {
    const days = source.map(
      (row) =>
        `<day location="${escapeXml(row.location)}"><date>${row.date}</date><precipitation>${row.precipitation}</precipitation>` +
        `<temp_max>${row.temp_max}</temp_max><temp_min>${row.temp_min}</temp_min><wind>${row.wind}</wind>` +
        `<weather>${escapeXml(row.weather)}</weather></day>`,
    );
    const path = join(env.scratch, 'weather.xml');
    await writeFile(
      path,
      `<?xml version="1.0" encoding="UTF-8"?>\n<weather>\n${days.join('\n')}\n</weather>\n`,
    );
    await putLocalFile(env, path, BUCKET, 'xml/weather.xml');

    const result = await runPipelineLocally(
      copyPipeline('s3-xml', { prefix: 'xml/', record_path: 'weather.day' }, 'from-xml/'),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const rows = await queryDataset(
      env,
      BUCKET,
      'from-xml/',
      `SELECT ${WEATHER_TYPED_COLUMNS.replace('location,', '"@location" AS location,')} FROM dataset ORDER BY location, date`,
    );
    expect(rows).toStrictEqual(await sortedSource());
  });

  it('keeps leading zeros, and fails a malformed document with its line and column', async () => {
    const zips = join(env.scratch, 'zips.xml');
    await writeFile(
      zips,
      '<zips><zip code="00501"><city>Holtsville</city></zip><zip code="10001"><city>New York</city></zip></zips>',
    );
    const broken = join(env.scratch, 'broken.xml');
    await writeFile(broken, '<zips>\n<zip code="00501">\n<city>Holtsville</zip>\n</zips>');
    await putLocalFile(env, zips, BUCKET, 'zips/zips.xml');
    await putLocalFile(env, broken, BUCKET, 'broken/broken.xml');

    const good = await runPipelineLocally(
      copyPipeline(
        's3-xml',
        { prefix: 'zips/', record_path: 'zips.zip', attribute_prefix: '' },
        'from-zips/',
      ),
      env.services,
    );
    const bad = await runPipelineLocally(
      copyPipeline('s3-xml', { prefix: 'broken/', record_path: 'zips.zip' }, 'never/'),
      env.services,
    );

    expect(good.run.status, JSON.stringify(good.run.error)).toBe('success');
    expect(
      await queryDataset(env, BUCKET, 'from-zips/', 'SELECT code, city FROM dataset ORDER BY code'),
    ).toStrictEqual([
      { code: '00501', city: 'Holtsville' },
      { code: '10001', city: 'New York' },
    ]);
    expect(bad.run.status).toBe('failed');
    expect(bad.run.error?.message).toMatch(/broken\.xml line 3, column \d+: /);
  });
});
