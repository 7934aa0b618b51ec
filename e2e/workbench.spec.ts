// A learner in a real browser, against the real server and Docker engine: open an exercise, type a
// fix into Monaco, run it, watch node become PID 1, see the checks pass; a wrong fix shows the failing
// check and its hint; a reload keeps the draft.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/pid1';
const DRAFT_KEY = 'lab:draft:main-process-exit/pid1';

/** Replaces the text of the open file by typing into Monaco. */
async function typeIntoEditor(page: Page, text: string) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function draftDockerfile(page: Page): Promise<string | undefined> {
  return page.evaluate((key) => {
    const draft = JSON.parse(window.localStorage.getItem(key) ?? '[]') as { name: string; content: string }[];
    return draft.find((file) => file.name === 'Dockerfile')?.content;
  }, DRAFT_KEY);
}

async function openFresh(page: Page) {
  await page.goto(EXERCISE);
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('CMD node server.js && echo');
}

test('a correct fix makes node server.js PID 1 and passes every check', async ({ page }) => {
  await openFresh(page);
  const fixed = 'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n';
  await typeIntoEditor(page, fixed);
  await expect.poll(() => draftDockerfile(page)).toBe(fixed);

  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByRole('button', { name: /^Running/ })).toBeDisabled();

  // Live: the tree shows PID 1 running node server.js while the container runs.
  const pid1 = page.locator('.pt-row', { hasText: 'PID 1 — the container lives as long as this process' });
  await expect(pid1.first()).toContainText('node server.js');

  const banner = page.locator('.ck-banner');
  await expect(banner).toContainText('Pass');
  for (const title of [
    'The image builds',
    'PID 1 is node server.js',
    'docker stop ends the server at once, with code 0',
  ]) {
    await expect(page.locator('.ck-item.ck-pass', { hasText: title })).toBeVisible();
  }
  await expect(page.locator('.ck-item.ck-fail')).toHaveCount(0);
  // A Pass offers the next exercise of the lesson.
  await expect(banner.getByRole('link', { name: /^Next: A background server/ })).toHaveAttribute(
    'href',
    '/exercises/main-process-exit/background',
  );
  await page.screenshot({ path: 'test-results/pass-next.png' });

  // The evidence of the PID 1 check selects the moment it was judged: the tree as it was then.
  await page
    .locator('.ck-item', { hasText: 'PID 1 is node server.js' })
    .getByRole('button', { name: /evidence/i })
    .click();
  await expect(page.getByRole('button', { name: /back to the end/i })).toBeVisible();
  // Both checks judged at that moment are marked: PID 1's command, and that it ran alone.
  await expect(page.locator('.ck-item.ck-at-moment', { hasText: 'PID 1 is node server.js' })).toBeVisible();
  await expect(page.locator('.ck-item.ck-at-moment', { hasText: 'with no other process beside it' })).toBeVisible();
  await expect(page.locator('.ck-item.ck-at-moment')).toHaveCount(2);
  await expect(pid1.first()).toContainText('node server.js');

  // A reload keeps the draft and shows the last result again.
  await page.reload();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('CMD ["node", "server.js"]');
  await expect(page.locator('.ck-banner')).toContainText('Pass');

  // The draft is on the server too: a browser with none of its own gets it back.
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('CMD ["node", "server.js"]');

  // Following the link opens the next exercise.
  await page
    .locator('.ck-banner')
    .getByRole('link', { name: /^Next:/ })
    .click();
  await expect(page).toHaveURL(/\/exercises\/main-process-exit\/background$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'A background server does not keep the container honest',
  );

  // The lesson list shows the progress.
  await page.goto('/');
  await expect(page.locator('li', { hasText: 'Make the server PID 1' }).locator('.progress-badge')).toContainText(
    'passed · 1 attempt',
  );
});

const FIXED = 'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n';

test('a second tab of the same learner sees the run the first one started', async ({ page, context }) => {
  await openFresh(page);
  await typeIntoEditor(page, FIXED);
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.getByRole('button', { name: /^Running/ })).toBeVisible();
  const second = await context.newPage();
  await second.goto(EXERCISE);
  await expect(second.locator('.pt-row').first()).toBeVisible();
  await expect(second.locator('.ck-banner')).toContainText('Pass');
  await expect(page.locator('.ck-banner')).toContainText('Pass');
});

test('a second tab that asks while the Run of the first is on its way sees the run', async ({ page, context }) => {
  await openFresh(page);
  await typeIntoEditor(page, FIXED);
  // The first tab's POST is held until the second tab has asked the server for the learner's runs
  // and been told there are none: the moment the run does not exist yet.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/runs', async (route) => {
    await released;
    await route.continue();
  });
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.getByRole('button', { name: /^Running/ })).toBeVisible();
  const second = await context.newPage();
  const listed = second.waitForResponse((response) => response.url().includes('/api/runs?exerciseId='));
  await second.goto(EXERCISE);
  expect(((await (await listed).json()) as { runs: unknown[] }).runs).toEqual([]);
  release();
  await expect(second.locator('.pt-row').first()).toBeVisible();
  await expect(second.locator('.ck-banner')).toContainText('Pass');
  await expect(page.locator('.ck-banner')).toContainText('Pass');
});

test('a second tab opened before the first one runs sees the run', async ({ page, context }) => {
  await openFresh(page);
  const second = await context.newPage();
  const listed = second.waitForResponse((response) => response.url().includes('/api/runs?exerciseId='));
  await second.goto(EXERCISE);
  await listed;
  await expect(second.locator('.empty-panels')).toBeVisible();
  await typeIntoEditor(page, FIXED);
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(second.locator('.pt-row').first()).toBeVisible();
  await expect(second.locator('.ck-banner')).toContainText('Pass');
  await expect(page.locator('.ck-banner')).toContainText('Pass');
});

test('a new visitor who saves and runs at once is one learner, whose run every tab sees', async ({ page, context }) => {
  // Every learner cookie the server hands this browser: one learner, however the requests interleave.
  const minted: Promise<string | undefined>[] = [];
  context.on('response', (response) =>
    minted.push(
      response.headerValue('set-cookie').then((value) => /lab_learner=(l[0-9a-f]{16})\./.exec(value ?? '')?.[1]),
    ),
  );
  // The first cookie is held back until the learner has typed and pressed Run: whatever they do
  // meanwhile must not make a learner of its own.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/learner', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(EXERCISE);
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('CMD node server.js && echo');
  await typeIntoEditor(page, FIXED);
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.getByRole('button', { name: /^Running/ })).toBeVisible();
  release();
  await expect(page.locator('.ck-banner')).toContainText('Pass');
  const second = await context.newPage();
  await second.goto(EXERCISE);
  await expect(second.locator('.ck-banner')).toContainText('Pass');
  await expect(second.locator('.monaco-editor .view-lines')).toContainText('CMD ["node", "server.js"]');
  const learners = new Set((await Promise.all(minted)).filter(Boolean));
  expect([...learners]).toHaveLength(1);
});

test('a wrong fix shows the failing check, what was observed, and its hint', async ({ page }) => {
  await openFresh(page);
  await typeIntoEditor(page, 'FROM lab/node\nWORKDIR /app\nCOPY server.js .\nCMD node server.js\n');
  await expect.poll(() => draftDockerfile(page)).toContain('CMD node server.js\n');
  await page.getByRole('button', { name: /^Run/ }).click();

  await expect(page.locator('.ck-banner')).toContainText('Fail');
  const failed = page.locator('.ck-item.ck-fail', { hasText: 'PID 1 is node server.js' });
  await expect(failed).toContainText('/bin/sh -c node server.js');
  await expect(failed.locator('.ck-hint').first()).toContainText('exec form');

  // The learner gives up: the solution comes after the hints, so they open the idea and the fix first;
  // then it is shown, and the lab notes it.
  await failed.getByRole('button', { name: 'Show the idea behind it' }).click();
  await failed.getByRole('button', { name: 'Show the fix' }).click();
  await expect(failed.locator('.ck-fix')).toContainText('CMD ["node", "server.js"]');
  await expect(page.getByRole('button', { name: 'Show solution' })).toHaveAttribute('data-access', 'open');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Show solution' }).click();
  await expect(page.locator('.solution')).toContainText('CMD ["node", "server.js"]');
  await page.goto('/');
  await expect(page.locator('li', { hasText: 'Make the server PID 1' }).locator('.progress-badge')).toContainText(
    'solution seen',
  );
});

test('a Dockerfile the lab refuses is marked on its line, and nothing is built', async ({ page }) => {
  await openFresh(page);
  await typeIntoEditor(page, 'FROM ubuntu:24.04\nCMD ["true"]\n');
  await expect.poll(() => draftDockerfile(page)).toContain('FROM ubuntu');
  await page.getByRole('button', { name: /^Run/ }).click();
  const build = page.locator('.ck-item.ck-fail', { hasText: 'The image builds' });
  await expect(build).toContainText('Dockerfile:1');
  await expect(build).toContainText('lab image');
  // Monaco marks the line.
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible();
});

// A lab server behind the balancer can stop while Run's request is on its way. The two ways the page
// meets that are made at the network, the one seam where they can be made on demand: the balancer's
// 502 (no server took the request), and a connection cut after the server took it.
async function attemptsOfPid1(page: Page): Promise<string[]> {
  const listed = await page.request.get('/api/runs?exerciseId=main-process-exit/pid1');
  return ((await listed.json()) as { attempts: { status: string }[] }).attempts.map((attempt) => attempt.status);
}

test('Run answered 502 by the balancer is sent again, and the run is judged', async ({ page }) => {
  await openFresh(page);
  await typeIntoEditor(page, FIXED);
  let posts = 0;
  await page.route('**/api/runs', async (route) => {
    if (route.request().method() !== 'POST' || ++posts > 1) return route.continue();
    await route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' });
  });
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Pass');
  expect(posts).toBe(2);
  await expect(page.locator('.error-text')).toHaveCount(0);
  expect(await attemptsOfPid1(page)).toEqual(['pass']);
});

test('Run whose answer is cut after the server took it follows that run, not a second one', async ({ page }) => {
  await openFresh(page);
  await typeIntoEditor(page, FIXED);
  let posts = 0;
  await page.route('**/api/runs', async (route) => {
    if (route.request().method() !== 'POST' || ++posts > 1) return route.continue();
    // The server takes the request and starts the run; its answer never reaches the page.
    expect((await route.fetch()).status()).toBe(202);
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Pass');
  expect(posts).toBe(2);
  await expect(page.locator('.error-text')).toHaveCount(0);
  expect(await attemptsOfPid1(page)).toEqual(['pass']);
});
