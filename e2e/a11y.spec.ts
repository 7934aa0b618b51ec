// Accessibility of every page, in the light and the dark theme (the app follows the system's
// prefers-color-scheme): axe-core runs over each page in real chromium and no violation of impact
// serious or critical may remain. Nothing is excluded: a violation anywhere on the page fails its test.
// Each page has its own title, too.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

const BUILD_EXERCISE = 'main-process-exit/pid1';
const DIAGNOSIS_EXERCISE = 'main-process-exit/diagnose';

/** One line per failing node: rule, impact, selector and axe's message, so a failure says what to fix. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}) ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`,
      ),
    );
}

async function expectAccessible(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

/**
 * The lowest contrast of the terminal's coloured text on its background. xterm draws its rows
 * aria-hidden (its screen reader mode has the accessible copy), so axe does not look at their colours.
 */
function terminalTextContrast(page: Page): Promise<{ lowest: number; color: string; text: string }> {
  return page.evaluate(() => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r, g, b] = rgb(css).map((value) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    // The colour behind a span: the first of its ancestors' backgrounds that is not transparent.
    const backgroundOf = (element: Element | null): string => {
      for (; element; element = element.parentElement) {
        const color = getComputedStyle(element).backgroundColor;
        if (!/^rgba\(.*, 0\)$|^transparent$/.test(color)) return color;
      }
      return 'rgb(255, 255, 255)';
    };
    let lowest = { lowest: Infinity, color: '', text: '' };
    for (const span of document.querySelectorAll<HTMLElement>('.terminal-box .xterm-rows span')) {
      if (!span.textContent?.trim()) continue;
      const text = luminance(getComputedStyle(span).color);
      const background = luminance(backgroundOf(span));
      const ratio = (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
      if (ratio < lowest.lowest)
        lowest = { lowest: ratio, color: getComputedStyle(span).color, text: span.textContent };
    }
    return lowest;
  });
}

async function createWorkshop(request: APIRequestContext, baseURL: string) {
  const created = await request.post(`${baseURL}/api/workshops`, {
    data: { title: 'Accessible class', exerciseIds: [BUILD_EXERCISE], capacity: 10 },
  });
  expect(created.status()).toBe(201);
  return (await created.json()) as { workshopId: string; joinCode: string; instructorUrl: string };
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme });
    });

    test('home', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page).toHaveTitle('Docker lifecycle lab');
      await expectAccessible(page);
    });

    test('a lesson', async ({ page }) => {
      await page.goto('/lessons/main-process-exit');
      await expect(page).toHaveTitle('Lesson 1: A container lives as long as its main process · Docker lifecycle lab');
      await expect(page.getByRole('heading', { name: 'Exercises' })).toBeVisible();
      // Each exercise once, as a link with its title (the lesson text's own list of ids is folded into it).
      await expect(page.getByRole('link', { name: 'Make the server PID 1', exact: true })).toHaveCount(1);
      await expect(page.getByText('main-process-exit/pid1')).toHaveCount(0);
      await expectAccessible(page);
    });

    test('a build exercise, before and after a finished Run', async ({ page }) => {
      await page.goto(`/exercises/${BUILD_EXERCISE}`);
      await expect(page).toHaveTitle(/^Make the server PID 1 \(A container lives as long as its main process\) · /);
      await expect(page.locator('.monaco-editor')).toBeVisible();
      await expectAccessible(page);
      await page.getByRole('button', { name: /^Run/ }).click();
      await expect(page.locator('.ck-banner')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByRole('button', { name: /^Run/ })).toBeEnabled();
      await page.screenshot({ path: `test-results/a11y-${colorScheme}-exercise.png`, fullPage: true });
      await expectAccessible(page);
      // A failed check's graded hint with all its steps open: the idea with its link, then the fix.
      const failed = page.locator('.ck-item.ck-fail').first();
      await failed.getByRole('button', { name: 'Show the idea behind it' }).click();
      await failed.getByRole('button', { name: 'Show the fix' }).click();
      await expect(failed.locator('.ck-fix')).toBeVisible();
      await expectAccessible(page);
    });

    test('the diagnosis exercise, with its terminal', async ({ page }) => {
      await page.goto(`/exercises/${DIAGNOSIS_EXERCISE}`);
      await expect(page.locator('.monaco-editor')).toBeVisible();
      await expect(page.getByRole('button', { name: /^Check answer/ })).toBeEnabled();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Terminal', exact: true }).click();
      await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
      await expectAccessible(page);
      // The prompt (user@host in green, the path in blue) is coloured text that must be read too.
      await expect(page.locator('.terminal-box .xterm-rows')).toContainText('/work');
      const contrast = await terminalTextContrast(page);
      expect(contrast.lowest, `${contrast.text} in ${contrast.color}`).toBeGreaterThanOrEqual(4.5);
      await page.screenshot({ path: `test-results/a11y-${colorScheme}-terminal.png` });
      // xterm's screen reader mode: an accessible copy of the screen, kept on after a reload.
      await page.getByRole('checkbox', { name: 'Screen reader mode' }).check();
      await expect(page.locator('.xterm-accessibility-tree')).toContainText('/work');
      await expectAccessible(page);
      await page.reload();
      await expect(page.getByRole('checkbox', { name: 'Screen reader mode' })).toBeChecked();
      await expect(page.locator('.xterm-accessibility-tree')).toContainText('/work');
    });

    test('new workshop', async ({ page }) => {
      await page.goto('/workshops/new');
      await expect(page).toHaveTitle('New workshop · Docker lifecycle lab');
      await expect(page.getByRole('button', { name: 'Create workshop' })).toBeVisible();
      await expectAccessible(page);
    });

    test('join', async ({ page }) => {
      await page.goto('/join');
      await expect(page).toHaveTitle('Join a workshop · Docker lifecycle lab');
      await expect(page.getByLabel('Workshop code')).toBeVisible();
      await expectAccessible(page);
    });

    test("a workshop's exercise page and the instructor dashboard", async ({ page, browser, baseURL, request }) => {
      const workshop = await createWorkshop(request, baseURL!);
      await page.goto(`/join?code=${workshop.joinCode}`);
      await page.getByLabel('Your name').fill('Ada');
      await page.getByRole('button', { name: 'Join' }).click();
      await expect(page).toHaveURL(new RegExp(`/exercises/${BUILD_EXERCISE}$`));
      await expect(page.getByRole('complementary', { name: 'Accessible class' })).toBeVisible();
      await expect(page.locator('.monaco-editor')).toBeVisible();
      await expectAccessible(page);
      // A failing Run (the starter), for the dashboard to show an attempt.
      await page.getByRole('button', { name: /^Run/ }).click();
      await expect(page.locator('.ck-banner')).toBeVisible({ timeout: 120_000 });

      // A context of its own (axe needs one): the instructor is another person, in the same theme.
      const instructorContext = await browser.newContext({ colorScheme });
      const instructor = await instructorContext.newPage();
      await instructor.goto(workshop.instructorUrl);
      await expect(instructor.getByRole('heading', { name: 'Accessible class' })).toBeVisible();
      await expect(instructor).toHaveTitle('Instructor dashboard: Accessible class · Docker lifecycle lab');
      const ada = instructor.getByRole('row').filter({ has: instructor.getByRole('rowheader', { name: /^Ada/ }) });
      await expect(ada).toContainText('failing');
      await expectAccessible(instructor);
      // A learner's latest attempt: files, process tree, checks.
      await ada.getByRole('button', { name: /failing/ }).click();
      await expect(instructor.getByRole('region', { name: /Ada: / })).toContainText('latest attempt fail');
      await expectAccessible(instructor);
      await instructorContext.close();
    });
  });
}
