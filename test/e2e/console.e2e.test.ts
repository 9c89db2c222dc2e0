/**
 * The console in a real browser against `etl serve` on localhost: build a
 * three-node pipeline by dragging from the palette, configure it through the
 * forms, see the validation error on the right node, fix it, save, run it on
 * the birdstrikes data, watch every node succeed, preview the loader's input,
 * and check that a Viewer sees no run button. Screenshots go to test/e2e/artifacts/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { connect, dragModule, fillField, selectNode } from './canvas-actions.ts';
import {
  buildConsole,
  type ConsoleServer,
  queryDirectly,
  REPO_ROOT,
  SHARED_DATA,
  startConsoleServer,
} from './console-server.ts';

const ARTIFACTS = join(REPO_ROOT, 'test/e2e/artifacts');
const CSV = join(SHARED_DATA, 'birdstrikes.csv');
const PIPELINE_ID = 'e2e-strikes';
const EXPRESSION = `"Origin State" = 'Oregon' AND "Cost Total $" > 0`;
const NODES = ['s3_csv_1', 'filter_1', 's3_parquet_1'] as const;

let server: ConsoleServer;
let browser: TestBrowser;
/** The rows the filter keeps, in file order, as `airport|cost`. */
let expectedRows: string[];

beforeAll(async () => {
  await buildConsole();
  server = await startConsoleServer();
  await server.putObject(CSV, 'examples', 'birdstrikes/birdstrikes.csv');
  browser = await launchBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
  // The oracle: the same condition run by DuckDB directly over the CSV.
  const rows = await queryDirectly(
    `SELECT "Airport Name" AS airport, "Cost Total $" AS cost FROM read_csv('${CSV}') WHERE ${EXPRESSION}`,
  );
  expectedRows = rows.map((row) => `${String(row.airport)}|${String(row.cost)}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openAs(role: 'developer' | 'viewer', hash: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/?token=${encodeURIComponent(await server.token(role))}${hash}`);
  await page.getByTestId('who').filter({ hasText: role }).waitFor();
  return page;
}

describe('console', () => {
  it('builds, validates, saves, runs and previews a pipeline made by dragging from the palette', async ({
    onTestFailed,
  }) => {
    expect(expectedRows.length).toBeGreaterThan(0);
    const page = await openAs('developer', '#/pipelines/new');
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'failure-developer.png'), fullPage: true });
    });
    await page.getByRole('button', { name: 'Add s3-csv extractor' }).waitFor();

    // Build: three modules dragged onto the pane, connected handle to handle.
    await dragModule(page, 's3-csv', { x: 120, y: 160 });
    await dragModule(page, 'filter', { x: 380, y: 160 });
    await dragModule(page, 's3-parquet', { x: 640, y: 160 });
    for (const id of NODES) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 's3_csv_1', 'filter_1');
    await connect(page, 'filter_1', 's3_parquet_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // Configure through the forms, leaving the filter's required expression empty.
    await selectNode(page, 's3_csv_1');
    await fillField(page, 'bucket', 'examples');
    await fillField(page, 'prefix', 'birdstrikes/');
    await fillField(page, 'pattern', '*.csv');
    await selectNode(page, 's3_parquet_1');
    await fillField(page, 'bucket', 'curated');
    await fillField(page, 'prefix', 'e2e/strikes/');
    await page.getByRole('tab', { name: /^Settings/ }).click();
    await fillField(page, 'Pipeline id', PIPELINE_ID);
    await fillField(page, 'Name', 'Costly Oregon strikes');

    // Validate: the error lands on the filter node and on its expression field, nowhere else.
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    await expect.poll(() => page.getByTestId('node-filter_1').getAttribute('data-errors')).toBe('1');
    expect(await page.getByTestId('node-s3_csv_1').getAttribute('data-errors')).toBe('0');
    expect(await page.getByTestId('node-s3_parquet_1').getAttribute('data-errors')).toBe('0');
    await selectNode(page, 'filter_1');
    const expression = page.locator('.side-panel').getByLabel(/^expression/);
    expect(await expression.getAttribute('aria-invalid')).toBe('true');
    const fieldErrors = page.locator(`[id="${await expression.getAttribute('id')}-errors"]`);
    expect(await fieldErrors.textContent()).toMatch(/\S/);

    // Fix, validate again, save.
    await expression.fill(EXPRESSION);
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    await page.getByText('The pipeline is valid.').waitFor();
    expect(await page.getByTestId('node-filter_1').getAttribute('data-errors')).toBe('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(`**/#/pipelines/${PIPELINE_ID}`);
    await page.getByRole('heading', { name: /Costly Oregon strikes v1/ }).waitFor();
    await page.locator('.editor').screenshot({ path: join(ARTIFACTS, 'canvas.png') });

    // Run it and watch every node turn successful.
    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL('**/#/runs/*');
    await page.getByTestId('run-status').filter({ hasText: 'success' }).waitFor({ timeout: 120_000 });
    for (const id of NODES) {
      await expect.poll(() => page.getByTestId(`node-${id}`).getAttribute('data-status')).toBe('success');
    }
    const loaderRow = page.locator('tr[data-node="s3_parquet_1"]');
    expect(await loaderRow.locator('td').nth(2).textContent()).toBe(String(expectedRows.length));
    await page.screenshot({ path: join(ARTIFACTS, 'run-view.png'), fullPage: true });

    // Preview the loader's input. A preview reads only the extractor's first chunk (a prefix of
    // the file), so it shows the first rows of what the run kept, in file order, with their types.
    await page.goto(`${server.url}/#/pipelines/${PIPELINE_ID}`);
    await selectNode(page, 's3_parquet_1');
    await page.getByRole('button', { name: 'Preview input' }).click();
    const table = page.getByRole('table', { name: /Input of s3_parquet_1/ });
    const summary = await page.getByText(/^\d+ rows · \d+ columns$/).textContent({ timeout: 90_000 });
    const shown = Number(summary?.split(' ')[0]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(expectedRows.length);
    const headers = await table.getByRole('columnheader').allTextContents();
    const airport = headers.findIndex((header) => header.startsWith('Airport Name'));
    const cost = headers.findIndex((header) => header.startsWith('Cost Total $'));
    expect(headers[airport]).toMatch(/Utf8$/);
    expect(headers[cost]).toMatch(/Int\d+$/);
    const previewed: string[] = [];
    for (const row of await table.locator('tbody tr').all()) {
      const cells = row.locator('td');
      previewed.push(`${await cells.nth(airport).textContent()}|${await cells.nth(cost).textContent()}`);
    }
    expect(previewed).toStrictEqual(expectedRows.slice(0, shown));
    await page.locator('.editor').screenshot({ path: join(ARTIFACTS, 'preview.png') });

    // A second version, and the diff of the two.
    await fillField(page, 'prefix', 'e2e/strikes-v2/');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved version 2.').waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const change = page.locator('.diff-table tr', { hasText: '/nodes[id=s3_parquet_1]/config/prefix' });
    await change.waitFor();
    expect(await change.locator('td').allTextContents()).toStrictEqual([
      '/nodes[id=s3_parquet_1]/config/prefix',
      'changed',
      '"e2e/strikes/"',
      '"e2e/strikes-v2/"',
    ]);

    // Export: the downloaded file is the saved pipeline with its node positions.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      id: string;
      nodes: { id: string; position?: { x: number; y: number } }[];
    };
    expect(exported.id).toBe(PIPELINE_ID);
    expect(exported.nodes.map((node) => node.id)).toStrictEqual([...NODES]);
    expect(exported.nodes.every((node) => node.position !== undefined)).toBe(true);

    // Charts of the pipeline's runs.
    await page.getByRole('link', { name: 'Runs and charts' }).click();
    await page.getByRole('figure', { name: 'Run duration' }).locator('canvas').waitFor();
    await page.getByRole('figure', { name: 'Rows per run' }).locator('canvas').waitFor();
    await page.close();
  });

  it('shows a Viewer the pipeline and its runs without edit or run controls', async ({ onTestFailed }) => {
    const page = await openAs('viewer', `#/pipelines/${PIPELINE_ID}`);
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'failure-viewer.png'), fullPage: true });
    });
    await page.getByRole('heading', { name: /Costly Oregon strikes/ }).waitFor();

    expect(await page.getByRole('button', { name: 'Run…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Modules' }).count()).toBe(0);
    await page.goto(`${server.url}/#/pipelines/${PIPELINE_ID}/runs`);
    await page.getByRole('heading', { name: /Runs of Costly Oregon strikes/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Run…' }).count()).toBe(0);
    await page.close();
  });

  it('logged no error in the browser console', () => {
    expect(browser.consoleErrors).toStrictEqual([]);
  });
});
