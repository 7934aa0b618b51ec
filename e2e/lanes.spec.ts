// The process lanes in a real browser against the real engine: a stop of a shell as PID 1 is drawn with
// SIGTERM and, after the grace period, SIGKILL; moving the playhead moves the process tree; a container
// started in the terminal takes over the panels, its restarts are new bands, and a docker stop typed
// there is annotated like a scenario's.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/pid1';
const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

async function openFresh(page: Page) {
  await page.goto(EXERCISE);
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('CMD node server.js && echo');
}

/** Types a command into the terminal and waits until the shell has run it. */
async function run(page: Page, command: string, marker: string) {
  await page.locator('.terminal-box').click();
  await page.keyboard.type(`${command}; echo ${marker}-$((40+2))`);
  await page.keyboard.press('Enter');
  await expect(screen(page)).toContainText(`${marker}-42`, { timeout: 60_000 });
}

test('a stop of a shell as PID 1: SIGTERM, SIGKILL after the grace period, and a playhead that moves the tree', async ({
  page,
}) => {
  await openFresh(page);
  // The starter's shell-form CMD: /bin/sh is PID 1 and ignores SIGTERM.
  await page.getByRole('button', { name: /^Run/ }).click();
  await expect(page.locator('.ck-banner')).toContainText('Fail');

  // The result opens at the first failing check's evidence: the shell as PID 1, node as its child.
  const tree = page.locator('.rp-tree');
  await expect(tree.locator('.panel-title')).toContainText(/at \d+\.\d\d s/);
  await expect(tree.locator('.pt-row').first()).toContainText('/bin/sh -c node server.js');

  await page.locator('.rp-tab', { hasText: 'main' }).click();
  const lanes = page.getByRole('region', { name: 'Lifecycle of main' });
  await expect(lanes.locator('.ln-flag.ln-kind-stop')).toContainText('docker stop');
  await expect(lanes.locator('.ln-flag.ln-kind-signal')).toContainText('SIGTERM');
  await expect(lanes.locator('.ln-flag.ln-kind-sigkill')).toContainText('SIGKILL');
  await expect(lanes.locator('.ln-label').filter({ hasText: '/bin/sh -c node server.js' })).toHaveCount(1);
  await expect(lanes.locator('.ln-end').filter({ hasText: 'SIGKILL (137)' })).toHaveCount(1);
  await expect(lanes.locator('.ln-end').filter({ hasText: 'killed with PID 1' }).first()).toBeVisible();
  await lanes.getByText('The lifecycle in words').click();
  await expect(lanes.locator('.ln-text')).toContainText(
    /SIGKILL sent to PID 1: \d+\.\d s after SIGTERM, the grace period ran out/,
  );

  // The chart is one Tab stop: End shows the end, where the tree keeps its processes with how they ended.
  const slider = page.getByRole('slider', { name: /Moment of main/ });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(tree).toContainText('The container exited with 137 = killed by SIGKILL');
  await expect(tree.locator('.pt-row').first()).toContainText('killed by SIGKILL (exit code 137)');
  await expect(tree.locator('.pt-row').nth(1)).toContainText('killed by the kernel when PID 1 died');

  // Home, then the arrow keys step to the moment node is running under the shell.
  await page.keyboard.press('Home');
  await expect(tree).not.toContainText('killed by');
  await expect
    .poll(async () => {
      if ((await tree.locator('.pt-row', { hasText: 'node server.js' }).count()) === 2) return true;
      await page.keyboard.press('ArrowRight');
      return false;
    })
    .toBe(true);
  await expect(tree).not.toContainText('killed by');
  const valueText = await slider.getAttribute('aria-valuetext');
  expect(valueText).toMatch(/^\d+\.\d\d s: .*2 processes running/);

  // A click near the right end of the chart moves there with the mouse too.
  const canvas = lanes.locator('.ln-inner');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.99, box.y + box.height / 2);
  await expect(tree).toContainText('killed by SIGKILL');
  await page.screenshot({ path: 'test-results/lanes-stop.png', fullPage: true });
});

test('a terminal container takes over the panels; its restarts are new bands; its docker stop is annotated', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openFresh(page);
  await page.getByRole('button', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
  await run(
    page,
    'docker run -d --name crashy --restart=on-failure:2 lab/node sh -c "sleep 1; exit 3" >/dev/null',
    'crashy',
  );

  // The panels switch to the terminal's containers by themselves, without checks or a build line.
  await expect(page.getByRole('button', { name: /Terminal containers/ })).toHaveAttribute('aria-pressed', 'true');
  const crashy = page.getByRole('region', { name: 'Lifecycle of crashy' });
  await expect(crashy.locator('.ln-band')).toHaveCount(3);
  await expect(crashy.locator('.ln-backoff')).toHaveCount(2);
  await expect(crashy.locator('.ln-end').filter({ hasText: 'exit 3' })).toHaveCount(3);
  await expect(page.locator('.rp-checks')).toHaveCount(0);
  await expect(page.locator('.rp-build')).toHaveCount(0);

  await run(page, 'docker run -d --name stoppable lab/node sh -c "sleep 600" >/dev/null', 'stoppable');
  const stoppable = page.getByRole('region', { name: 'Lifecycle of stoppable' });
  await expect(stoppable.locator('.ln-label').filter({ hasText: 'sleep 600' }).first()).toBeVisible();
  await run(page, 'docker stop -t 1 stoppable >/dev/null', 'stopped');
  await expect(stoppable.locator('.ln-flag.ln-kind-stop')).toContainText('docker stop');
  await expect(stoppable.locator('.ln-flag.ln-kind-signal')).toContainText('SIGTERM');
  await expect(stoppable.locator('.ln-flag.ln-kind-sigkill')).toContainText('SIGKILL');
  await expect(stoppable.locator('.ln-end').filter({ hasText: 'SIGKILL (137)' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/lanes-terminal.png', fullPage: true });

  // A Run takes the panels back.
  await page.getByRole('button', { name: /^Run Ctrl/ }).click();
  await expect(page.getByRole('button', { name: /Terminal containers/ })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.ck-banner')).toContainText('Fail');
  await run(page, 'docker rm -f crashy stoppable >/dev/null', 'cleaned');
});
