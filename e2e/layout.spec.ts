// The workbench's layout at every width, measured (bounding boxes, not pictures): from 1024 to 2560 px
// with and without the terminal, the instructions stay readable beside an editor that can be typed in
// and a terminal wide enough for `docker ps`; nothing stretches absurdly on a wide screen; the results
// can take the whole row; on a phone everything is stacked and the page never scrolls sideways.
import { expect, test, type Locator, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/pid1';

async function box(locator: Locator) {
  await expect(locator).toBeVisible();
  const found = await locator.boundingBox();
  expect(found).not.toBeNull();
  return found!;
}

/** How far the page scrolls sideways (0 when everything fits the window). */
function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const instructions = (page: Page) => page.locator('.instructions');
const editor = (page: Page) => page.locator('.editor-box');
const panels = (page: Page) => page.getByRole('region', { name: 'What happened' });
const terminal = (page: Page) => page.locator('.terminal-frame');

async function openExercise(page: Page) {
  await page.goto(EXERCISE);
  await expect(page.locator('.monaco-editor')).toBeVisible();
}

async function openTerminal(page: Page) {
  await page.getByRole('button', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
}

/** Instructions left of the editor, neither squeezed; the editor takes typing. */
async function expectSideBySide(page: Page) {
  const text = await box(instructions(page));
  const code = await box(editor(page));
  expect(text.width).toBeGreaterThanOrEqual(240);
  expect(code.width).toBeGreaterThanOrEqual(380);
  expect(code.height).toBeGreaterThanOrEqual(200);
  expect(text.x + text.width).toBeLessThanOrEqual(code.x);
  expect(await sidewaysScroll(page)).toBe(0);
}

test('from 1024 to 2560 px, with and without the terminal, everything has room', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openExercise(page);
  const widths = [1024, 1280, 1440, 1920, 2560];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await expectSideBySide(page);
    const code = await box(editor(page));
    const results = await box(panels(page));
    // Beside the editor on a wide screen, on the whole row under it otherwise: never over it.
    const beside = results.x >= code.x + code.width;
    expect(beside || results.y >= code.y + code.height).toBe(true);
    expect(results.width).toBeGreaterThanOrEqual(beside ? 380 : width * 0.9);
  }

  await page.setViewportSize({ width: 1024, height: 768 });
  await openTerminal(page);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
    await expectSideBySide(page);
    const shell = await box(terminal(page));
    const code = await box(editor(page));
    expect(shell.width).toBeGreaterThanOrEqual(400);
    expect(shell.y).toBeGreaterThanOrEqual(code.y + code.height);
    expect(shell.x + shell.width).toBeLessThanOrEqual(width);
  }

  // At 1024 x 768 with the terminal open, the editor still takes typing.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n# typed at 1024 px\n');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('# typed at 1024 px');
  await page.screenshot({ path: 'test-results/layout-1024-terminal.png' });
});

test('on a 2560 px screen nothing is stretched absurdly', async ({ page }) => {
  await page.setViewportSize({ width: 2560, height: 1440 });
  await openExercise(page);
  const text = await box(instructions(page));
  const code = await box(editor(page));
  const results = await box(panels(page));
  // Lines of the instructions stay readable (at most ~90 characters of 16 px text).
  expect(text.width).toBeLessThanOrEqual(720);
  expect(code.width).toBeLessThanOrEqual(1300);
  expect(code.height).toBeLessThanOrEqual(0.6 * 1440);
  expect(results.width).toBeLessThanOrEqual(1300);
  expect(await sidewaysScroll(page)).toBe(0);
  await page.screenshot({ path: 'test-results/layout-2560.png' });
});

test('"Wide results" gives the panels the whole row under the editor, and is remembered', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1000 });
  await openExercise(page);
  const toggle = page.getByRole('button', { name: 'Wide results' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const beside = await box(panels(page));
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const code = await box(editor(page));
  const wide = await box(panels(page));
  expect(wide.y).toBeGreaterThanOrEqual(code.y + code.height);
  expect(wide.width).toBeGreaterThan(beside.width * 1.5);
  expect(wide.width).toBeGreaterThanOrEqual(1920 * 0.9);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Wide results' })).toHaveAttribute('aria-pressed', 'true');
  expect((await box(panels(page))).width).toBeGreaterThanOrEqual(1920 * 0.9);
});

test('on a phone (390 x 844) every page is stacked and never scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/', '/lessons/main-process-exit', '/join', '/workshops/new']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await sidewaysScroll(page), path).toBe(0);
  }

  await openExercise(page);
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toBeVisible({ timeout: 120_000 });
  await openTerminal(page);
  const text = await box(instructions(page));
  const code = await box(editor(page));
  const shell = await box(terminal(page));
  const results = await box(panels(page));
  for (const part of [text, code, shell, results]) {
    expect(part.x).toBeGreaterThanOrEqual(0);
    expect(part.x + part.width).toBeLessThanOrEqual(390);
    expect(part.width).toBeGreaterThanOrEqual(330);
  }
  // In reading order, one under the other.
  expect(code.y).toBeGreaterThanOrEqual(text.y + text.height);
  expect(shell.y).toBeGreaterThanOrEqual(code.y + code.height);
  expect(results.y).toBeGreaterThanOrEqual(shell.y + shell.height);
  expect(await sidewaysScroll(page)).toBe(0);
  await page.screenshot({ path: 'test-results/layout-phone-top.png' });
  await page.locator('.ck-banner').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/layout-phone-checks.png' });
});
