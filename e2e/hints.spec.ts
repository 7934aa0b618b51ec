// Graded hints in a real browser against the real engine: a learner in a workshop runs the starter,
// opens a failed check's idea (with its lesson section) and then its fix; the solution waits for the
// hints, is held back while the instructor holds it and opens once released; a second failed run opens
// the idea of the other failed checks by itself; the dashboard and the export count what was opened.
import { expect, test } from '@playwright/test';
import { workshopWithLearner } from './workshop-fixture';

const EXERCISE = 'main-process-exit/foreground';

test('a failed check offers its hint in steps; the solution comes after them and the instructor can hold it back', async ({
  browser,
  baseURL,
  request,
}) => {
  const { workshop, context } = await workshopWithLearner(request, browser, baseURL!, {
    title: 'Hints class',
    exerciseIds: [EXERCISE],
    displayName: 'Ada',
  });

  const page = await context.newPage();
  await page.goto(`/exercises/${EXERCISE}`);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  const solutionButton = page.getByRole('button', { name: 'Show solution' });
  const note = page.locator('#solution-note');
  await expect(solutionButton).toHaveAttribute('data-access', 'after-hints');
  await solutionButton.click();
  await expect(note).toContainText('The solution comes after the hints');
  expect((await context.request.get(`${baseURL}/api/solution?exerciseId=${EXERCISE}`)).status()).toBe(403);

  // The starter fails; the failed check offers step 1 and a button for step 2, not yet step 3.
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Fail', { timeout: 120_000 });
  const pid1 = page.locator('.ck-item.ck-fail').filter({ hasText: 'PID 1 is my-daemon' });
  await expect(pid1).toContainText('Hint 1 of 3:');
  await expect(pid1.getByRole('button', { name: 'Show the fix' })).toHaveCount(0);
  await pid1.getByRole('button', { name: 'Show the idea behind it' }).click();
  await expect(pid1.locator('.ck-concept')).toContainText("The container's life is the life of PID 1");
  const section = pid1.getByRole('link', {
    name: 'Read “The container is its main process” in A container lives as long as its main process',
  });
  await expect(section).toHaveAttribute('href', '/lessons/main-process-exit#the-container-is-its-main-process');
  await pid1.getByRole('button', { name: 'Show the fix' }).click();
  await expect(pid1.locator('.ck-fix')).toContainText('CMD ["node", "my-daemon.js", "--foreground"]');
  // Another failed check is still at step 1: steps open per check.
  const logs = page.locator('.ck-item.ck-fail').filter({ hasText: "The daemon's log lines reach docker logs" });
  await expect(logs.getByRole('button', { name: 'Show the idea behind it' })).toBeVisible();
  await expect(solutionButton).toHaveAttribute('data-access', 'open');
  await expect(note).toBeEmpty();
  await page.screenshot({ path: 'test-results/hints.png', fullPage: true });

  // The instructor holds the solutions back: the learner's page hears of it at once.
  const instructor = await browser.newPage();
  await instructor.goto(workshop.instructorUrl);
  await instructor.getByRole('button', { name: 'Hold back the solutions' }).click();
  await expect(
    instructor.getByRole('status').filter({ hasText: 'Solutions held back: no learner can open them' }),
  ).toBeVisible();
  await expect(instructor.getByRole('region', { name: 'Workshop controls' })).toContainText(
    'Open for joining · Solutions held back',
  );
  await expect(solutionButton).toHaveAttribute('data-access', 'held');
  await solutionButton.click();
  await expect(note).toContainText('Your instructor is holding the solutions back for now.');
  const held = await context.request.get(`${baseURL}/api/solution?exerciseId=${EXERCISE}`);
  expect(held.status()).toBe(403);
  expect(((await held.json()) as { error: string }).error).toContain('holding the solutions back');

  await instructor.getByRole('button', { name: 'Release the solutions' }).click();
  await expect(instructor.getByRole('region', { name: 'Workshop controls' })).not.toContainText('Solutions held back');
  await expect(solutionButton).toHaveAttribute('data-access', 'open');
  page.once('dialog', (dialog) => void dialog.accept());
  await solutionButton.click();
  await expect(page.getByRole('region', { name: 'Solution' })).toContainText('--foreground');

  // A second failed run opens the idea of every failed check by itself (two failed runs).
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Fail', { timeout: 120_000 });
  await expect(logs.locator('.ck-concept')).toContainText(
    'Docker captures what the main process writes to stdout and stderr',
  );
  await expect(logs.getByRole('button', { name: 'Show the fix' })).toBeVisible();

  // The room sees the help sought, and the export has it.
  const cell = instructor.locator('.dash-cell').first();
  await expect(cell).toContainText('solution seen');
  await expect(cell).toContainText('1 fix');
  // The lab machine's queue, as the instructor sees it.
  await expect(instructor.locator('.dash-machine')).toContainText(/\d+ of \d+ runs at once/);
  await expect(instructor.locator('.dash-machine')).toContainText(/wait for a slot p95 [\d.]+ s over the last 5 min/);
  await instructor.screenshot({ path: 'test-results/hints-dashboard.png' });
  const csv = await request.get(`${baseURL}/api/workshops/${workshop.workshopId}/export.csv`, {
    headers: { 'x-instructor-key': workshop.instructorKey },
  });
  const [header, row] = (await csv.text()).trim().split('\r\n');
  expect(header.split(',').slice(-3)).toEqual(['hint_steps_opened', 'fixes_opened', 'solution_shown_at']);
  // The last three fields hold no commas (the predictions before them may).
  const [steps, fixes, shownAt] = row.split(',').slice(-3);
  expect(Number(steps)).toBeGreaterThanOrEqual(3);
  expect(fixes).toBe('1');
  expect(shownAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  await context.close();
});
