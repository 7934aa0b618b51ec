// The source material's commands, typed into the terminal in a real browser: the real docker CLI in
// the learner's workstation answers through the learner's proxy, the containers appear in the panels
// with their process tree, and a second learner in another browser can neither see nor touch them.
import { expect, test, type Page } from '@playwright/test';

const EXERCISE = '/exercises/main-process-exit/pid1';

const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

/** Types a command and waits until its output is done (the prompt after a marker echo). */
async function run(page: Page, command: string, marker: string) {
  await page.locator('.terminal-box').click();
  // The marker is computed by the shell, so the echoed command line does not contain it.
  await page.keyboard.type(`${command}; echo ${marker}-$((40+2))`);
  await page.keyboard.press('Enter');
  await expect(screen(page)).toContainText(`${marker}-42`, { timeout: 60_000 });
}

async function openTerminal(page: Page) {
  await page.goto(EXERCISE);
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.getByRole('button', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.terminal-state')).toHaveText(/Connected/);
  await expect(screen(page)).toContainText('$');
}

test('the seed commands work verbatim in the terminal, and another learner cannot see or touch the result', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const alice = await (await browser.newContext()).newPage();
  await openTerminal(alice);

  await run(alice, 'docker build -t my-api:1.4.0 . | tail -n 2', 'built');
  await expect(screen(alice)).toContainText('Successfully tagged my-api:1.4.0');
  await run(alice, 'clear; docker run -d --name my-api my-api:1.4.0', 'started');
  await run(alice, 'clear; docker exec my-api ps aux', 'exec');
  await expect(screen(alice)).toContainText('USER');
  await expect(screen(alice)).toContainText('/bin/sh -c node server.js');
  await run(alice, "clear; docker inspect my-api --format '{{.Config.Cmd}} {{.State.ExitCode}}'", 'inspected');
  await expect(screen(alice)).toContainText('[/bin/sh -c node server.js && echo "server stopped"] 0');
  await run(alice, 'clear; docker logs my-api --tail 50', 'logs');
  await expect(screen(alice)).toContainText('server listening on port 8080');
  await run(
    alice,
    'clear; docker tag my-api:1.4.0 my-api && docker run -d --restart=on-failure my-api && docker ps --format "{{.Names}} {{.Status}}"',
    'listed',
  );
  await expect(screen(alice)).toContainText(/my-api Up/);

  // The panels show the terminal's containers like a run: PID 1 of my-api in the process tree.
  await alice.getByRole('button', { name: /Terminal containers/ }).click();
  await alice
    .getByRole('button', { name: /^my-api/ })
    .first()
    .click();
  await expect(alice.locator('.rp-tree')).toContainText('/bin/sh -c node server.js');

  // Another learner, in another browser: their own workstation, their own (empty) view of Docker.
  const bob = await (await browser.newContext()).newPage();
  await openTerminal(bob);
  await run(bob, 'docker ps -a --format "[{{.Names}}]"', 'bob-listed');
  await expect(screen(bob)).not.toContainText('[my-api]');
  await run(bob, 'clear; docker inspect my-api', 'bob-inspect');
  await expect(screen(bob)).toContainText('No such object: my-api');
  await run(bob, 'clear; docker stop my-api', 'bob-stop');
  await expect(screen(bob)).toContainText('No such container: my-api');
  await run(bob, 'clear; docker run -d --privileged lab/node true', 'bob-privileged');
  await expect(screen(bob)).toContainText('--privileged is not allowed in the lab');

  // Alice's container was never touched.
  await run(alice, 'clear; docker inspect my-api --format "state={{.State.Status}}"', 'still');
  await expect(screen(alice)).toContainText('state=running');
  await run(alice, 'docker rm -f $(docker ps -aq) >/dev/null', 'cleaned');
  await alice.context().close();
  await bob.context().close();
});
