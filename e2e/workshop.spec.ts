// A workshop in real browsers: the instructor sets one up (exercises picked and put in order) and gets
// the code and the secret link once; a learner joins with the code and a name and lands on the first
// exercise under the workshop's banner; the instructor's message shows there at once, and so does the
// workshop's end. A learner outside any workshop sees no banner.
import { expect, test } from '@playwright/test';

test('an instructor sets up a workshop, a learner joins it and follows its messages and its end', async ({
  browser,
  baseURL,
}) => {
  const instructor = await browser.newPage();
  await instructor.goto('/workshops/new');
  await instructor.getByLabel('Title').fill('Friday containers');
  await instructor.getByRole('checkbox', { name: /Make the server PID 1/ }).check();
  await instructor.getByRole('checkbox', { name: /Make docker stop fast/ }).check();
  // Taught in the other order: the second chosen goes up.
  const order = instructor.getByRole('list', { name: 'Order:' });
  await expect(order.getByRole('listitem')).toHaveCount(2);
  const second = 'Make docker stop fast';
  await expect(order.getByRole('listitem').nth(1)).toContainText(second);
  await order.getByRole('button', { name: `Move ${second} up` }).click();
  await expect(order.getByRole('listitem').first()).toContainText(second);
  await instructor.getByLabel('Learners at most').fill('5');
  await instructor.getByRole('button', { name: 'Create workshop' }).click();

  await expect(instructor.getByRole('heading', { name: 'Your workshop is ready' })).toBeVisible();
  const code = (await instructor.locator('.ws-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await expect(instructor.getByRole('alert').filter({ hasText: 'Keep this link secret' })).toBeVisible();
  const link = (await instructor.locator('.ws-secret-link').getAttribute('href'))!;
  const [, workshopId, key] = /^\/instructor\/(w[0-9a-f]+)\?key=(.+)$/.exec(link)!;

  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto('/join');
  await learner.getByLabel('Workshop code').fill('ZZZZ22');
  await learner.getByLabel('Your name').fill('Ada');
  await learner.getByRole('button', { name: 'Join' }).click();
  await expect(learner.locator('.ws-error')).toHaveText(/no workshop has the code ZZZZ22/);
  await learner.getByLabel('Workshop code').fill(code.toLowerCase());
  await learner.getByRole('button', { name: 'Join' }).click();

  await expect(learner).toHaveURL(/\/exercises\/pid1-signals\/graceful-stop$/);
  const banner = learner.getByRole('complementary', { name: 'Friday containers' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('as Ada');
  const exercises = banner.getByRole('list', { name: 'Workshop exercises, in order' }).getByRole('listitem');
  await expect(exercises).toHaveCount(2);
  await expect(exercises.first()).toContainText(second);
  await expect(banner.locator('a[aria-current="page"]')).toHaveText(second);
  await expect(learner.locator('.monaco-editor')).toBeVisible();

  const headers = { 'x-instructor-key': decodeURIComponent(key) };
  const posted = await learner.request.post(`${baseURL}/api/workshops/${workshopId}/messages`, {
    headers,
    data: { text: 'Look at PID 1 first' },
  });
  expect(posted.status()).toBe(201);
  await expect(banner.getByRole('status').filter({ hasText: 'From your instructor' })).toContainText(
    'Look at PID 1 first',
  );

  const ended = await learner.request.post(`${baseURL}/api/workshops/${workshopId}/end`, { headers });
  expect(ended.status()).toBe(200);
  await expect(banner).toContainText('This workshop has ended');
  await expect(banner).toContainText('Workshop ended');

  // Someone in no workshop keeps the self-paced pages, with no banner.
  const loner = await (await browser.newContext()).newPage();
  await loner.goto('/exercises/main-process-exit/pid1');
  await expect(loner.locator('.monaco-editor')).toBeVisible();
  await expect(loner.locator('.ws-banner')).toHaveCount(0);
  await loner.goto('/');
  await expect(loner.getByRole('link', { name: 'Join it with its code' })).toBeVisible();
  await expect(loner.locator('.ws-banner')).toHaveCount(0);
});
