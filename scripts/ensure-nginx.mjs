// What the balancer tests need on this machine: Debian's nginx (the balancer of a lab of several cells).
// Installed where missing; the tests start their own, in the foreground, with their own configuration.
import { SetupError, canInstallDebianPackages, hasCommand, log, run } from './setup-common.mjs';

/** Installs Debian's nginx where `nginx` is not a command yet. */
export function ensureNginx() {
  if (hasCommand('nginx')) return;
  if (!canInstallDebianPackages())
    throw new SetupError('the balancer tests need nginx (Debian: apt-get install nginx)');
  log("installing Debian's nginx for the balancer tests");
  run('apt-get', ['update', '-q']);
  // Only the program: in a container, Debian's policy keeps the package from starting a system nginx.
  run('apt-get', ['install', '-y', '-q', 'nginx'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
