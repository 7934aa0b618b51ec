// What the end-to-end tests need on this machine: a browser.
import fs from 'node:fs';
import { SetupError, canInstallDebianPackages, log, run } from './setup-common.mjs';

/** Debian's chromium, for the end-to-end tests (Playwright cannot download its own browser here). */
export function ensureChromium() {
  const binary = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';
  if (fs.existsSync(binary)) return binary;
  if (!canInstallDebianPackages()) {
    throw new SetupError(
      `the end-to-end tests need Chromium at ${binary}: install it (Debian: apt-get install chromium) or set LAB_CHROMIUM`,
    );
  }
  log("installing Debian's chromium for the end-to-end tests");
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return binary;
}
