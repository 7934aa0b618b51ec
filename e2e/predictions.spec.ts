// Predictions in a real browser against the real engine: a learner in a workshop answers one of the
// exercise's questions before Run, leaves the other, runs the starter, and sees what they expected
// beside what the lab saw, with the moment that shows it; the instructor's dashboard and the export
// count the prediction. A prediction the exercise does not ask is refused.
import { expect, test } from '@playwright/test';
import { workshopWithLearner } from './workshop-fixture';

const EXERCISE = 'main-process-exit/pid1';

test('a learner predicts, runs, sees predicted against observed; the room counts it', async ({
  browser,
  baseURL,
  request,
}) => {
  const { workshop, context } = await workshopWithLearner(request, browser, baseURL!, {
    title: 'Predictions class',
    exerciseIds: [EXERCISE],
    displayName: 'Ada',
  });

  const refused = await context.request.post(`${baseURL}/api/runs`, {
    data: { exerciseId: EXERCISE, files: [], predictions: { 'who-is-pid1': 'not-a-choice' } },
  });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: string }).error).toContain('no choice "not-a-choice"');

  const page = await context.newPage();
  await page.goto(`/exercises/${EXERCISE}`);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  const panel = page.locator('details.predict');
  await expect(panel.locator('summary')).toContainText('Predict first');
  // Keyboard: the panel folds and unfolds from its summary.
  await panel.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(panel).not.toHaveAttribute('open', '');
  await page.keyboard.press('Enter');
  await expect(panel).toHaveAttribute('open', '');
  const question = page.getByRole('group', { name: /which process will be PID 1/ });
  await question.getByRole('radio', { name: 'node server.js itself' }).check();
  await expect(panel.locator('summary')).toContainText('1 of 2 answered');

  await page.getByRole('button', { name: /^Run/ }).click();
  const results = page.getByRole('region', { name: 'Your predictions' });
  const pid1 = results.locator('[data-prediction="who-is-pid1"]');
  await expect(pid1).toContainText('You expected node server.js itself; the lab saw /bin/sh', { timeout: 120_000 });
  await expect(pid1).toContainText('PID 1 was "/bin/sh -c');
  // The question left unanswered shows what the lab saw all the same: the shell ignores SIGTERM.
  const stop = results.locator('[data-prediction="stop-code"]');
  await expect(stop).toContainText('The lab saw: 137');
  await expect(stop).toContainText('(you made no prediction)');
  // The moment that shows it, in the tree.
  const show = pid1.getByRole('button', { name: /Show the moment/ });
  await show.click();
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.rp-tree')).toContainText('/bin/sh -c');
  await page.screenshot({ path: 'test-results/predictions.png', fullPage: true });

  const instructor = await browser.newPage();
  await instructor.goto(workshop.instructorUrl);
  const room = instructor.getByRole('region', { name: 'Predictions', exact: true });
  await expect(room).toContainText(
    '1 of 1 expected “node server.js itself”; the lab saw “/bin/sh, the shell that reads the CMD line, with node as its child” in 1 of their runs (0 right)',
  );
  await expect(room).toContainText('no predictions yet');

  const csv = await request.get(`${baseURL}/api/workshops/${workshop.workshopId}/export.csv`, {
    headers: { 'x-instructor-key': workshop.instructorKey },
  });
  expect(csv.ok()).toBeTruthy();
  expect(await csv.text()).toContain('who-is-pid1: expected node server.js itself, saw /bin/sh');
  await context.close();
});
