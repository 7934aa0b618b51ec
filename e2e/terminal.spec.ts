// The terminal in a real browser: a new visitor opens it from an exercise, types into bash in their
// workstation and sees the answer; the real docker CLI answers through the learner's proxy; what they
// type in the editor is in /work; a reload comes back to the same shell with its output.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/pid1';

/** The terminal's text as xterm shows it. */
const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

/** A line of the terminal that reads exactly `text`, letters, digits and dashes (xterm pads lines with spaces). */
const line = (page: Page, text: string) =>
  screen(page)
    .locator(':scope > div')
    .filter({ hasText: new RegExp(`^${text}\\s*$`) })
    .first();

async function typeInTerminal(page: Page, text: string) {
  await page.locator('.terminal-box').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('a learner opens the terminal, runs commands in bash and the docker CLI, and finds their files in /work', async ({
  page,
}) => {
  await page.goto(EXERCISE);
  await page.evaluate(() => window.localStorage.clear());
  await expect(page.locator('.monaco-editor')).toBeVisible();

  const opened = Date.now();
  await page.getByRole('button', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
  await expect(screen(page)).toContainText('learner@workstation:/work$');
  test.info().annotations.push({
    type: 'terminal ready',
    description: `${Date.now() - opened} ms from the click to the prompt`,
  });

  await typeInTerminal(page, 'echo $((6*7))');
  await expect(line(page, '42')).toBeVisible();

  await typeInTerminal(page, 'docker ps');
  await expect(screen(page)).toContainText('CONTAINER ID');

  // An edit in the editor is in /work once the draft is saved.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n# edited-in-the-editor\n');
  await expect(page.locator('.draft-state')).toHaveText('Draft saved');
  await typeInTerminal(page, 'grep -c edited-in-the-editor Dockerfile');
  await expect(line(page, '1')).toBeVisible();

  // A reload comes back to the same shell: its earlier output is there, and so are its variables.
  await typeInTerminal(page, 'KEPT=still-$((1+2))');
  await page.reload();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
  await expect(screen(page)).toContainText('CONTAINER ID');
  await typeInTerminal(page, 'echo "$KEPT"');
  await expect(line(page, 'still-3')).toBeVisible();

  await typeInTerminal(page, 'exit 3');
  await expect(page.locator('.terminal-state')).toHaveText('Shell ended with exit code 3');
  await page.getByRole('button', { name: 'New shell' }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
});
