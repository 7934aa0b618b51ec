// The diagnosis exercise in a real browser: opening it stages the learner's my-api, which their
// terminal shows stopped; Check answer judges answer.json against the incident (the starter fails
// with hints, the exit code read in the terminal passes its check); New incident stages another and
// clears the old result.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/diagnose';

const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

async function typeInTerminal(page: Page, text: string) {
  await page.locator('.terminal-box').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Saves answer.json as the learner's draft and reloads, as a learner coming back to the page would. */
async function saveAnswer(page: Page, answer: object) {
  const files = [{ name: 'answer.json', content: `${JSON.stringify(answer, null, 2)}\n` }];
  expect(
    (await page.request.put('/api/drafts?exerciseId=main-process-exit/diagnose', { data: { files } })).status(),
  ).toBe(200);
  await page.reload();
}

test('a learner investigates my-api in the terminal and checks a diagnosis', async ({ page }) => {
  await page.goto(EXERCISE);
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  const status = page.locator('.incident-status');
  await expect(status).toContainText(/my-api \(my-api:\d+\.\d+\.\d+\) has stopped/);
  const check = page.getByRole('button', { name: /^Check answer/ });
  await expect(check).toBeEnabled();

  // The learner's terminal sees the stopped my-api, and Docker's record of its exit.
  await page.getByRole('button', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
  await typeInTerminal(page, 'docker ps -a --format "{{.Names}} {{.Status}}"');
  // Exited with its code, or Created: a command that could not be started at all (127, 126) leaves it so.
  await expect(screen(page)).toContainText(/my-api (Exited \(\d+\)|Created)/);
  await typeInTerminal(page, `docker inspect my-api --format 'exit={{.State.ExitCode}}'`);
  const exitLine = screen(page)
    .locator(':scope > div')
    .filter({ hasText: /^exit=\d+\s*$/ })
    .first();
  await expect(exitLine).toBeVisible();
  const exitCode = Number((await exitLine.textContent())!.trim().slice('exit='.length));

  // The starter answers nothing: three checks fail, each with a hint.
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await check.click();
  await expect(page.locator('.ck-banner')).toContainText('Fail');
  await expect(page.locator('.ck-item.ck-fail')).toHaveCount(3);
  await expect(page.locator('.ck-item.ck-fail', { hasText: "The answer gives PID 1's exit code" })).toContainText(
    'State.ExitCode',
  );

  // The exit code read in the terminal passes its check; the page comes back to the same incident.
  const before = await status.textContent();
  await saveAnswer(page, { pid1: '', exitCode, cause: '' });
  await expect(status).toHaveText(before!);
  await check.click();
  await expect(page.locator('.ck-item.ck-pass', { hasText: "The answer gives PID 1's exit code" })).toBeVisible();
  await expect(page.locator('.ck-item.ck-fail')).toHaveCount(2);

  // New incident: another one is staged, and the old result goes away.
  await page.getByRole('button', { name: 'New incident' }).click();
  await expect(page.locator('.ck-banner')).toHaveCount(0);
  await expect(status).toContainText('has stopped');
  await expect(check).toBeEnabled();
  test.info().annotations.push({ type: 'incidents', description: `${before} then ${await status.textContent()}` });
});
