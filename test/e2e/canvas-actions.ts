/** What a person does on the canvas, as Playwright steps: drag modules in, connect handles, fill forms. */
import type { Page } from 'playwright-core';

export async function dragModule(page: Page, module: string, at: { x: number; y: number }): Promise<void> {
  await page.locator(`.palette-item[data-module="${module}"]`).dragTo(page.locator('.react-flow__pane'), {
    targetPosition: at,
  });
}

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from the source handle of one node to the target handle of another, as a mouse would. */
export async function connect(page: Page, source: string, target: string): Promise<void> {
  const from = await centre(page, `[data-testid="node-${source}"] .react-flow__handle.source`);
  const to = await centre(page, `[data-testid="node-${target}"] .react-flow__handle.target`);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="node-${id}"]`).click();
  await page.getByRole('heading', { name: new RegExp(`^${id}\\b`) }).waitFor();
}

/** Fills a schema-form field by its label (labels of required fields end with " *"). */
export async function fillField(page: Page, label: string, value: string): Promise<void> {
  await page
    .locator('.side-panel')
    .getByLabel(new RegExp(`^${label}( \\*)?$`))
    .fill(value);
}
