// The browser half of `npm run bench`: the real lab server and Debian's chromium on this machine.
//   (e) click Run -> first process tree drawn, with a cached image, against the engine-only figure of
//       the same runs (run start -> first snapshot in the server's timeline): what the browser adds
//   (f) event -> screen: from the server sending an event to the next frame after the page handled it
import { chromium } from 'playwright-core';
import { caseFiles, findExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startLabServer } from './test-harness';

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Installed before the page's scripts: wraps the page's 'timeline' listeners to time each event. */
const INIT_SCRIPT = `
  const metrics = { screen: [], firstSnapshotT: null };
  window.__lab = metrics;
  const original = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'timeline') return original.call(this, type, listener, options);
    const wrapped = (message) => {
      listener(message);
      const event = JSON.parse(message.data);
      if (event.type === 'snapshot' && event.processes.length && metrics.firstSnapshotT === null) metrics.firstSnapshotT = event.t;
      requestAnimationFrame(() => setTimeout(() => metrics.screen.push(Date.now() - event.sentAt), 0));
    };
    return original.call(this, type, wrapped, options);
  };
`;

/** Clicks Run and resolves with the ms until the first process row of the new run is on screen. */
const CLICK_RUN_UNTIL_TREE = `new Promise((resolve) => {
  const start = performance.now();
  let cleared = !document.querySelector('.pt-row');
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.pt-row')) cleared = true;
    else if (cleared) {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  document.querySelector('button.primary').click();
})`;

/** Measures (e) and (f) over `rounds` runs of the pid1 solution. */
export async function benchBrowser(rounds: number) {
  const server = await startLabServer({ env: { LAB_SKIP_DOCKER_SETUP: '1' } });
  const base = server.base;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // Time each event from the server's send to the next frame after the page's own handler ran. The
    // in-page code is plain JavaScript text: functions compiled by tsx carry helpers the page lacks.
    await page.addInitScript(INIT_SCRIPT);
    const exercise = findExercise('main-process-exit/pid1', loadCurriculum())!;
    const solution = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
    await page.goto(`${base}/exercises/${exercise.id}`);
    await page.evaluate(
      `window.localStorage.setItem('lab:draft:main-process-exit/pid1', ${JSON.stringify(JSON.stringify(solution))})`,
    );
    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    const clickToTree: number[] = [];
    const engineOnly: number[] = [];
    const added: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      await page.evaluate('window.__lab.firstSnapshotT = null');
      const drawn = (await page.evaluate(CLICK_RUN_UNTIL_TREE)) as number;
      await page.locator('.ck-banner').waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: /^Run/ }).waitFor();
      const engine = (await page.evaluate('window.__lab.firstSnapshotT')) as number | null;
      if (round === 0 || engine === null) continue; // the first round warms the build cache
      clickToTree.push(Math.round(drawn));
      engineOnly.push(engine);
      added.push(Math.round(drawn - engine));
    }
    const screen = (await page.evaluate('window.__lab.screen')) as number[];
    return {
      e_click_run_to_first_tree_drawn: {
        rounds: clickToTree.length,
        browser_ms: { median: percentile(clickToTree, 50), p95: percentile(clickToTree, 95) },
        engine_only_ms: { median: percentile(engineOnly, 50), p95: percentile(engineOnly, 95) },
        browser_adds_ms: { median: percentile(added, 50), p95: percentile(added, 95) },
        target_browser_adds_ms: 150,
      },
      f_event_to_screen: {
        events: screen.length,
        median_ms: percentile(screen, 50),
        p95_ms: percentile(screen, 95),
        target_p95_ms: 150,
      },
    };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/**
 * Installed before the page's scripts: notes when an editor first accepts a keystroke, in ms since the
 * navigation started. `plain` is the editable text shown before Monaco (none on a page without it);
 * `monaco` is a visible Monaco with its input in place.
 */
const EDITOR_READY_SCRIPT = `
  const ready = { plain: null, monaco: null };
  window.__editorReady = ready;
  const visible = (element) => element.checkVisibility({ visibilityProperty: true });
  const check = () => {
    const now = performance.now();
    if (ready.plain === null) {
      const plain = document.querySelector('textarea.editor-plain');
      if (plain && !plain.readOnly && visible(plain)) ready.plain = now;
    }
    if (ready.monaco === null) {
      const monaco = document.querySelector('.monaco-editor');
      if (monaco && visible(monaco) && monaco.querySelector('textarea')) ready.monaco = now;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
`;

/**
 * (k) Navigation to an exercise -> the editor accepts a keystroke, over `rounds` loads in one browser
 * (its cache warm, as for a learner coming back; one load first warms it), with no saved draft.
 */
export async function benchEditorReady(rounds: number) {
  const server = await startLabServer({ env: { LAB_SKIP_DOCKER_SETUP: '1' } });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(EDITOR_READY_SCRIPT);
    const editable: number[] = [];
    const plain: number[] = [];
    const monaco: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const page = await context.newPage();
      await page.goto(`${server.base}/exercises/main-process-exit/pid1`, { waitUntil: 'commit' });
      await page.waitForFunction('window.__editorReady.monaco !== null', undefined, { timeout: 60_000 });
      const ready = (await page.evaluate('window.__editorReady')) as { plain: number | null; monaco: number };
      await page.close();
      if (round === 0) continue; // the first load fills the browser's cache
      editable.push(Math.round(ready.plain ?? ready.monaco));
      if (ready.plain !== null) plain.push(Math.round(ready.plain));
      monaco.push(Math.round(ready.monaco));
    }
    const figure = (values: number[]) =>
      values.length ? { median: percentile(values, 50), p95: percentile(values, 95) } : null;
    return {
      loads: monaco.length,
      editable_ms: figure(editable),
      plain_text_editable_ms: figure(plain),
      monaco_ready_ms: figure(monaco),
      target_editable_ms: 1500,
    };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
}
