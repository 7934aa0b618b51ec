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
