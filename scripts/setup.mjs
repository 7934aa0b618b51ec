// Sets up what the lab needs on this machine, skipping every step that is already done:
// npm dependencies, a Docker engine, the debian:bookworm-slim base image and the lab images.
// Used by `npm start` and `npm test`; `npm run setup` runs it alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrismaClient, migrate } from './database.mjs';
import { ensureBaseImage } from './ensure-base-image.mjs';
import { ensureDockerEngine } from './ensure-docker-engine.mjs';
import { ensureLabImages } from './ensure-lab-images.mjs';
import { ensureNpmDependencies } from './ensure-npm-dependencies.mjs';
import { ensureTracefs } from './ensure-tracefs.mjs';
import { SetupError } from './setup-common.mjs';

export { ensureBaseImage } from './ensure-base-image.mjs';
export { ensureChromium } from './ensure-chromium.mjs';
export { DOCKERD_ARGS, ensureDockerEngine } from './ensure-docker-engine.mjs';
export { ensureLabImages, labImageDirs } from './ensure-lab-images.mjs';
export { ensureNginx } from './ensure-nginx.mjs';
export { ensureNpmDependencies } from './ensure-npm-dependencies.mjs';
export { ensureTestPostgres } from './ensure-test-postgres.mjs';
export { SetupError } from './setup-common.mjs';

/** Every step of the setup in order; without `npm`, the dependencies are left as they are, without `docker` the engine and images. */
export async function setup({ npm = true, docker = true } = {}) {
  if (npm) ensureNpmDependencies();
  ensurePrismaClient();
  await migrate();
  if (!docker) return;
  await ensureDockerEngine();
  ensureTracefs();
  await ensureBaseImage();
  await ensureLabImages();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setup().catch((error) => {
    console.error(`[setup] ${error instanceof SetupError ? error.message : error.stack}`);
    process.exit(1);
  });
}
