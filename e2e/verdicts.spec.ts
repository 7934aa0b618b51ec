// A sneaky wrong answer in a real browser, as a learner sees its verdict: a PID file and a log file
// hidden in /dev/shm are found and named with their paths, the value drawn for the run is shown, and
// the result says which known mistake it looks like.
import { expect, test } from '@playwright/test';
import { caseFiles, findExercise } from '../lib/lessons/curriculum';

const EXERCISE = 'never-daemonize/python-foreground';

test('files hidden in /dev/shm fail with their paths, the drawn token shown and the mistake named', async ({
  page,
}) => {
  const exercise = findExercise(EXERCISE);
  if (!exercise) throw new Error(`no exercise ${EXERCISE}`);
  await page.goto('/');
  const files = caseFiles(exercise, 'wrong/pid-and-log-in-dev-shm').filter((file) =>
    exercise.spec.files.includes(file.name),
  );
  expect((await page.request.put(`/api/drafts?exerciseId=${EXERCISE}`, { data: { files } })).status()).toBe(200);
  await page.goto(`/exercises/${EXERCISE}`);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: /^Run/ }).click();

  await expect(page.locator('.ck-banner')).toContainText('Fail', { timeout: 120_000 });
  const pidFile = page.locator('.ck-item.ck-fail', { hasText: 'No PID file, anywhere' });
  await expect(pidFile).toContainText('/dev/shm/myapp.pid');
  const logFile = page.locator('.ck-item.ck-fail', { hasText: 'No log file, anywhere' });
  await expect(logFile).toContainText('/dev/shm/myapp.log');
  await expect(logFile).toContainText(/drawn for this run: PROBE_TOKEN=[0-9a-f]{12}/);
  // Everything else the service does is right, and is told so.
  await expect(page.locator('.ck-item.ck-pass', { hasText: "The lab's request is in docker logs" })).toBeVisible();
  await expect(page.locator('.ck-mistake')).toContainText('written to /dev/shm');
  await page.screenshot({ path: 'test-results/verdict-dev-shm.png', fullPage: true });
});

/** What reads as a regular expression or a step's id, which a learner must never be shown. */
const INTERNAL = /\\[dDsSwW.]|\.[*+]|[\^$|]\(|matching \/|\bstep-\d+\b|\bstep "/;

test('the checks of a failed run speak in words: no pattern, no step id', async ({ page }) => {
  // The starter of the foreground exercise daemonizes: the container exits at once and most checks fail,
  // among them checks that look for log lines by a regular expression.
  await page.goto('/exercises/main-process-exit/foreground');
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Fail', { timeout: 120_000 });
  const logs = page.locator('.ck-item.ck-fail', { hasText: "The daemon's log lines reach docker logs" });
  await expect(logs.locator('.ck-facts dd').first()).toHaveText(
    'a "my-daemon tick" line in docker logs (stdout or stderr)',
  );
  const failed = page.locator('.ck-item.ck-fail');
  expect(await failed.count()).toBeGreaterThan(2);
  for (const text of await failed.allInnerTexts()) expect(text).not.toMatch(INTERNAL);
  // The daemon forked and left: no shell was ever PID 1, so no known mistake about shells is offered.
  await expect(page.locator('.ck-mistake')).toHaveCount(0);
  const pid1 = page.locator('.ck-item.ck-fail', { hasText: 'PID 1 is my-daemon' });
  await expect(pid1.locator('.ck-hint')).toContainText('with --daemonize it forks a detached copy and exits');
  await expect(pid1).not.toContainText('shell');
  await page.screenshot({ path: 'test-results/verdict-in-words.png', fullPage: true });
});

test("a failed build's log shows the learner's steps only, counted as in their Dockerfile", async ({ page }) => {
  const exerciseId = 'main-process-exit/pid1';
  const dockerfile =
    'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nRUN echo checking && false\nCMD ["node", "server.js"]\n';
  await page.goto('/');
  const files = [{ name: 'Dockerfile', content: dockerfile }];
  expect((await page.request.put(`/api/drafts?exerciseId=${exerciseId}`, { data: { files } })).status()).toBe(200);
  await page.goto(`/exercises/${exerciseId}`);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: /^Run/ }).click();
  const build = page.locator('.ck-item.ck-fail', { hasText: 'The image builds' });
  await expect(build.locator('.ck-buildlog')).toContainText('Step 4/5 : RUN echo checking && false');
  await expect(page.getByLabel('Build output')).toContainText('Step 1/5 : FROM lab/node');
  for (const text of [await build.innerText(), await page.getByLabel('Build output').innerText()]) {
    expect(text).not.toMatch(/lab\.(run|owner)|Step \d+\/6/);
  }
});

test("a build's output leaves out the lab's own LABEL step", async ({ page }) => {
  await page.goto('/exercises/main-process-exit/pid1');
  await page.evaluate(() => window.localStorage.clear());
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: /^Run/ }).click();
  const output = page.getByLabel('Build output');
  await expect(output).toContainText('Successfully built');
  await expect(output).toContainText('Step 4/4 : CMD node server.js');
  await expect(output).not.toContainText('lab.run');
  await expect(output).not.toContainText('Step 5/5');
});
