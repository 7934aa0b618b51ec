// What a learner made from the terminal, removed at once: the workstation's end, a workshop's reset.
import type Docker from 'dockerode';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { removeLearnerCgroup } from '../sandbox/learner-cgroup';
import { ownContainers, ownImages } from './ownership';
import { scopeOf } from './scope';

/** Removes every container and image the learner made from the terminal (the workstation's end). */
export async function removeTerminalResources(owner: string, docker: Docker = dockerFromEnv()): Promise<void> {
  const scope = scopeOf(owner);
  for (const info of await ownContainers(docker, scope)) {
    await withEngineDeadline('removing a container', () =>
      docker.getContainer(info.Id).remove({ force: true, v: true }),
    ).catch(() => undefined);
  }
  for (const info of await ownImages(docker, scope)) {
    await withEngineDeadline('removing an image', () =>
      docker.getImage(info.Id).remove({ force: true, noprune: true }),
    ).catch(() => undefined);
  }
  await removeLearnerCgroup(scope.key);
}
