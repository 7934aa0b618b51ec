// Every exercise can be completed in the browser: with the solution's files as the learner's draft,
// Run passes every check, including the "going further" ones.
import { expect, test } from '@playwright/test';
import { allExercises, caseFiles, loadCurriculum } from '../lib/lessons/curriculum';

for (const exercise of allExercises(loadCurriculum())) {
  test(`${exercise.id} passes in the browser with its solution`, async ({ page }) => {
    const files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
    await page.goto('/');
    const saved = await page.request.put(`/api/drafts?exerciseId=${exercise.id}`, { data: { files } });
    expect(saved.status()).toBe(200);
    await page.goto(`/exercises/${exercise.id}`);
    await expect(page.locator('.monaco-editor')).toBeVisible();
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect(page.locator('.ck-banner')).toContainText('Pass', { timeout: 120_000 });
    await expect(page.locator('.ck-item.ck-fail')).toHaveCount(0);
    await expect(page.locator('.ck-item.ck-error')).toHaveCount(0);
  });
}
