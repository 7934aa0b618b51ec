// The instructor's dashboard in a real browser: the room as it is, updated without a reload while
// learners work; the failure classes, by check and by known mistake (which the learner is told too);
// a learner's latest attempt with its files, process tree and checks on a click; a reset of that
// learner's sandbox. The wrong key shows nothing of the workshop.
import { expect, test, type APIRequestContext } from '@playwright/test';

const EXERCISE = 'main-process-exit/pid1';

async function runAndWait(request: APIRequestContext, baseURL: string, files: { name: string; content: string }[]) {
  const started = await request.post(`${baseURL}/api/runs`, { data: { exerciseId: EXERCISE, files } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  // The events stream ends once the run has its result.
  const events = await request.get(`${baseURL}/api/runs/${runId}/events`, { timeout: 120_000 });
  expect(await events.text()).toContain('event: result');
}

test("the instructor sees the room live, what fails, and a learner's latest attempt", async ({
  browser,
  baseURL,
  request,
}) => {
  const created = await request.post(`${baseURL}/api/workshops`, {
    data: { title: 'Thursday class', exerciseIds: [EXERCISE], capacity: 10 },
  });
  expect(created.status()).toBe(201);
  const workshop = (await created.json()) as { workshopId: string; joinCode: string; instructorUrl: string };

  const wrong = await browser.newPage();
  await wrong.goto(`/instructor/${workshop.workshopId}?key=not-the-key`);
  await expect(wrong.getByRole('heading', { name: 'Instructor link not valid' })).toBeVisible();
  await expect(wrong.locator('body')).not.toContainText('Thursday class');

  const learners = await Promise.all(
    ['Ada', 'Bo'].map(async (name) => {
      const context = await browser.newContext();
      const joined = await context.request.post(`${baseURL}/api/workshops/join`, {
        data: { code: workshop.joinCode, displayName: name },
      });
      expect(joined.status()).toBe(200);
      return context;
    }),
  );

  const instructor = await browser.newPage();
  await instructor.goto(workshop.instructorUrl);
  await expect(instructor.getByRole('heading', { name: 'Thursday class' })).toBeVisible();
  await expect(instructor.locator('.join-code')).toHaveText(workshop.joinCode);
  const row = (name: string) =>
    instructor.getByRole('row').filter({ has: instructor.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
  await expect(row('Ada')).toContainText('not started');
  await expect(row('Bo')).toContainText('not started');

  // Ada runs the starter (PID 1 is a shell): the grid shows it failing, without a reload.
  const page = await learners[0].newPage();
  await page.goto(`/exercises/${EXERCISE}`);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(row('Ada')).toContainText('failing', { timeout: 90_000 });
  await expect(row('Ada')).toContainText('1 run');
  await expect(instructor.getByRole('region', { name: 'What fails' })).toContainText('1 learner (1 still)');
  // Ada is told which known mistake her run looks like, and the instructor sees the room by mistake.
  await expect(page.locator('.ck-mistake')).toContainText('A shell-form CMD leaves /bin/sh as PID 1');
  const knownMistakes = instructor
    .getByRole('region', { name: 'What fails' })
    .locator('li')
    .filter({ hasText: 'shell-form-cmd' });
  await expect(knownMistakes).toContainText('A shell-form CMD leaves /bin/sh as PID 1');
  await expect(knownMistakes).toContainText('1 learner (1 still), 1 failed run');

  // The click-through: Ada's latest attempt, with her Dockerfile, the process tree and the checks.
  await row('Ada')
    .getByRole('button', { name: /failing/ })
    .click();
  const attempt = instructor.getByRole('region', { name: /Ada: / });
  await expect(attempt).toContainText('latest attempt fail');
  await expect(attempt.locator('pre').first()).toContainText('FROM lab/node');
  await expect(attempt.locator('.rp-tree')).toContainText('/bin/sh -c');
  await instructor.screenshot({ path: 'test-results/dashboard.png', fullPage: true });

  instructor.on('dialog', (dialog) => void dialog.accept());
  await attempt.getByRole('button', { name: /Reset this learner/ }).click();
  await expect(attempt.getByRole('status').filter({ hasText: 'sandbox' })).toHaveText('The sandbox was reset.');

  // Bo passes with the solution, sent through the API like a page would: it comes after the hints.
  for (const level of [2, 3])
    expect(
      (
        await learners[1].request.post(`${baseURL}/api/hints?exerciseId=${EXERCISE}`, {
          data: { checkId: 'pid1-is-server', level, how: 'requested' },
        })
      ).status(),
    ).toBe(200);
  const solution = await learners[1].request.get(`${baseURL}/api/solution?exerciseId=${EXERCISE}`);
  expect(solution.ok()).toBeTruthy();
  const { files: solved } = (await solution.json()) as { files: { name: string; content: string }[] };
  await runAndWait(learners[1].request, baseURL!, solved);
  await expect(row('Bo')).toContainText('passing');
  await expect(instructor.getByRole('columnheader', { name: /Make the server PID 1/ })).toContainText(
    '1 passing · 1 failing',
  );
  for (const context of learners) await context.close();
});
