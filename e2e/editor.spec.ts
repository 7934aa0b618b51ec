// The exercise editor in a real browser against the real server: what a learner types at full speed is
// exactly what the editor and the saved draft hold, in the plain text shown first, while Monaco takes over,
// in Monaco, across file tabs and after a reload with a saved draft that arrives late; the editor grows
// with its text; and the keyboard can leave it (Escape then Tab), as the hint under it says.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE_ID = 'main-process-exit/pid1';
const EXERCISE = `/exercises/${EXERCISE_ID}`;

const plainEditor = (page: Page) => page.locator('textarea.editor-plain');
const monacoShown = (page: Page) => page.locator('.editor-frame[data-editor="monaco"] .monaco-editor');

/**
 * Holds the page's scripts back: Monaco's until `monaco()` is called, all others (so the page is not
 * hydrated) until `app()` is called, which is at once unless `holdApp`.
 */
async function holdScripts(page: Page, holdApp = false) {
  let app!: () => void;
  let monaco!: () => void;
  const appReleased = holdApp ? new Promise<void>((resolve) => (app = resolve)) : Promise.resolve();
  const monacoReleased = new Promise<void>((resolve) => (monaco = resolve));
  await page.route('**/_next/static/chunks/**', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await (body.includes('MonacoEnvironment') ? monacoReleased : appReleased);
    await route.fulfill({ response, body });
  });
  return { app: () => app?.(), monaco };
}

/** Holds Monaco's code back until the returned function is called, so the plain text editor stays. */
async function holdMonaco(page: Page): Promise<() => void> {
  return (await holdScripts(page)).monaco;
}

/** Puts the caret in Monaco by a click on its first line, as a learner would. */
async function clickIntoMonaco(page: Page) {
  await page.locator('.monaco-editor .view-lines').click({ position: { x: 20, y: 10 } });
}

/** The text of the file shown, from whichever editor shows it (Monaco's lines in their order on screen). */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const plain = document.querySelector<HTMLTextAreaElement>('textarea.editor-plain:not([hidden])');
    if (plain) return plain.value;
    return [...document.querySelectorAll<HTMLElement>('.monaco-editor .view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

/** The draft of one file, as saved in this browser and on the server. */
async function savedDraft(page: Page, name: string) {
  const browser = await page.evaluate(
    ([key, file]) => {
      const draft = JSON.parse(window.localStorage.getItem(key) ?? '[]') as { name: string; content: string }[];
      return draft.find((entry) => entry.name === file)?.content;
    },
    [`lab:draft:${EXERCISE_ID}`, name],
  );
  const response = await page.request.get(`/api/drafts?exerciseId=${encodeURIComponent(EXERCISE_ID)}`);
  const { files } = (await response.json()) as { files: { name: string; content: string }[] | null };
  return { browser, server: files?.find((entry) => entry.name === name)?.content };
}

const LINES_A = 'FROM lab/node\nWORKDIR /app\nCOPY server.js .\n';
const LINES_B = 'ENV NODE_ENV=production\nEXPOSE 8080\nCMD ["node", "server.js"]\n';
const LINES_C = 'FROM lab/node\nCOPY . /app\nWORKDIR /app\nUSER node\nCMD ["node", "server.js"]\n';

test('typing at full speed from page load keeps every character, before, during and after Monaco takes over', async ({
  page,
}) => {
  const release = await holdMonaco(page);
  await page.goto(EXERCISE);
  await expect(plainEditor(page)).toBeEditable();
  await plainEditor(page).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(LINES_A);
  expect(await plainEditor(page).inputValue()).toBe(LINES_A);

  // Monaco arrives while the learner goes on typing: it takes over the text, the caret and the focus.
  release();
  await page.keyboard.type(LINES_B);
  await expect(monacoShown(page)).toBeVisible();
  await expect.poll(() => shownText(page)).toBe(LINES_A + LINES_B);
  await expect
    .poll(() => savedDraft(page, 'Dockerfile'))
    .toEqual({ browser: LINES_A + LINES_B, server: LINES_A + LINES_B });

  // Again, all in Monaco, twice.
  for (const text of [LINES_C, LINES_B + LINES_A]) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
    await expect.poll(() => shownText(page)).toBe(text);
    await expect.poll(() => savedDraft(page, 'Dockerfile')).toEqual({ browser: text, server: text });
  }
});

test('the saved draft is in the page itself, editable once hydrated, and typing right away goes on from it', async ({
  page,
}) => {
  await page.goto('/');
  const draft = 'FROM lab/node\nWORKDIR /app\n';
  const files = [{ name: 'Dockerfile', content: draft }];
  expect((await page.request.put(`/api/drafts?exerciseId=${EXERCISE_ID}`, { data: { files } })).status()).toBe(200);
  expect(await (await page.request.get(EXERCISE)).text()).toContain(`${draft}</textarea>`);

  const hold = await holdScripts(page, true);
  await page.goto(EXERCISE, { waitUntil: 'commit' });
  await expect(plainEditor(page)).toHaveValue(draft);
  await expect(plainEditor(page)).not.toBeEditable(); // hydration would set the text back
  hold.app();
  await expect(plainEditor(page)).toBeEditable();
  await plainEditor(page).focus();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(LINES_A);
  hold.monaco();
  await page.keyboard.type(LINES_B);
  await expect(monacoShown(page)).toBeVisible();
  const typed = draft + LINES_A + LINES_B;
  await expect.poll(() => shownText(page)).toBe(typed);
  await expect.poll(() => savedDraft(page, 'Dockerfile')).toEqual({ browser: typed, server: typed });
});

test('with no draft on the server, the copy kept in this browser is shown and typed into', async ({ page }) => {
  await page.goto('/');
  const kept = 'FROM lab/node\nCOPY server.js .\n';
  await page.evaluate(
    ([key, content]) => window.localStorage.setItem(key, JSON.stringify([{ name: 'Dockerfile', content }])),
    [`lab:draft:${EXERCISE_ID}`, kept],
  );
  await page.goto(EXERCISE);
  await expect(monacoShown(page)).toBeVisible();
  await expect.poll(() => shownText(page)).toBe(kept);
  await clickIntoMonaco(page);
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(LINES_B);
  await expect.poll(() => shownText(page)).toBe(kept + LINES_B);
  await expect.poll(() => savedDraft(page, 'Dockerfile')).toEqual({ browser: kept + LINES_B, server: kept + LINES_B });
});

test('each file keeps what was typed in it across tab switches, and the editor grows with its text', async ({
  page,
}) => {
  await page.goto(EXERCISE);
  await expect(monacoShown(page)).toBeVisible();
  const emptyHeight = (await monacoShown(page).boundingBox())!.height;
  await clickIntoMonaco(page);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(LINES_A + LINES_B + LINES_C);

  await page.getByRole('tab', { name: 'server.js' }).click();
  await expect(page.getByRole('textbox', { name: /^Editor for server\.js/ })).toBeAttached();
  await clickIntoMonaco(page);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('// replaced\n');
  await expect.poll(() => shownText(page)).toBe('// replaced\n');

  await page.getByRole('tab', { name: 'Dockerfile' }).click();
  await expect.poll(() => shownText(page)).toBe(LINES_A + LINES_B + LINES_C);
  await clickIntoMonaco(page);
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('USER node\n');
  const dockerfile = LINES_A + LINES_B + LINES_C + 'USER node\n';
  await expect.poll(() => shownText(page)).toBe(dockerfile);
  await expect.poll(() => savedDraft(page, 'Dockerfile')).toEqual({ browser: dockerfile, server: dockerfile });
  await expect.poll(() => savedDraft(page, 'server.js')).toEqual({ browser: '// replaced\n', server: '// replaced\n' });

  // 15 lines against the starter's 5: taller, by whole lines, within the page.
  const grownHeight = (await monacoShown(page).boundingBox())!.height;
  expect(grownHeight).toBeGreaterThan(emptyHeight);
  expect(grownHeight).toBeLessThanOrEqual(520);
});

test('Escape then Tab leaves the editor, as the hint under it says; Tab alone indents', async ({ page }, testInfo) => {
  const release = await holdMonaco(page);
  await page.goto(EXERCISE);
  await expect(page.getByText('Esc then Tab leaves the editor')).toBeVisible();
  const run = page.getByRole('button', { name: /^Run/ });

  // In the plain text shown first.
  await expect(plainEditor(page)).toBeEditable();
  await plainEditor(page).focus();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('Tab');
  await expect(plainEditor(page)).toBeFocused();
  expect(await plainEditor(page).inputValue()).toMatch(/^ {2}FROM/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(run).toBeFocused();

  // In Monaco.
  release();
  await expect(monacoShown(page)).toBeVisible();
  await clickIntoMonaco(page);
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('Tab');
  await expect.poll(() => shownText(page)).toMatch(/^ {4}FROM/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(run).toBeFocused();

  await clickIntoMonaco(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('tab', { name: 'server.js' })).toBeFocused();

  await clickIntoMonaco(page);
  await page.locator('.editor-pane').screenshot({ path: testInfo.outputPath('editor-with-hint.png') });
});
