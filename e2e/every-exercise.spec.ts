// Every exercise can be completed in the browser: with the solution's files as the learner's draft,
// Run passes every check, including the "going further" ones. A diagnosis exercise's solution is the
// answer to the learner's own incident, which the lab stages when the page opens.
import { expect, test } from '@playwright/test';
import { allExercises, caseFiles, loadCurriculum } from '../lib/lessons/curriculum';

for (const exercise of allExercises(loadCurriculum())) {
  test(`${exercise.id} passes in the browser with its solution`, async ({ page }) => {
    let files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
    if (exercise.kind === 'diagnosis') {
      await page.goto(`/exercises/${exercise.id}`);
      await expect(page.locator('.incident-status')).toContainText('has stopped');
      // The solution comes after the hints: open the idea, then the fix, of one check.
      for (const level of [2, 3])
        expect(
          (
            await page.request.post(`/api/hints?exerciseId=${exercise.id}`, {
              data: { checkId: 'cause', level, how: 'requested' },
            })
          ).status(),
        ).toBe(200);
      files = (
        (await (await page.request.get(`/api/solution?exerciseId=${exercise.id}`)).json()) as { files: typeof files }
      ).files;
    }
    await page.goto('/');
    const saved = await page.request.put(`/api/drafts?exerciseId=${exercise.id}`, { data: { files } });
    expect(saved.status()).toBe(200);
    await page.goto(`/exercises/${exercise.id}`);
    await expect(page.locator('.monaco-editor')).toBeVisible();
    await page.getByRole('button', { name: exercise.kind === 'diagnosis' ? /^Check answer/ : /^Run/ }).click();
    await expect(page.locator('.ck-banner')).toContainText('Pass', { timeout: 120_000 });
    await expect(page.locator('.ck-item.ck-fail')).toHaveCount(0);
    await expect(page.locator('.ck-item.ck-error')).toHaveCount(0);
  });
}
