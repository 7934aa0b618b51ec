// Fails when a container or image started by the tests (owners check-lessons, test-*, bench) still
// exists, or a build cgroup is left, or the signal trace of a lab process that is gone: the last step
// of `npm test`, after everything else has cleaned up after itself. Runs of a lab server sharing the
// engine are not counted.
import { staleTraceInstances } from '../lib/observe/signal-trace';
import { listCgroups } from '../lib/sandbox/build-cgroup';
import { DockerEngine } from '../lib/sandbox/docker-engine';
import { BUILD_CGROUP_PREFIX } from '../lib/sandbox/image-builder';
import { OWNER_LABEL, RUN_LABEL } from '../lib/sandbox/labels';

const engine = new DockerEngine();
const isTestOwner = (owner = '') => owner === 'check-lessons' || owner === 'bench' || owner.startsWith('test-');
const containers = (await engine.docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } })).filter((c) =>
  isTestOwner(c.Labels[OWNER_LABEL]),
);
const images = (await engine.docker.listImages({ filters: { label: [RUN_LABEL] } })).filter((i) =>
  isTestOwner(i.Labels?.[OWNER_LABEL]),
);
const cgroups = listCgroups(BUILD_CGROUP_PREFIX, 0);
const traces = staleTraceInstances();
console.log(
  `containers: ${containers.length}, images: ${images.length}, build cgroups: ${cgroups.length}, signal traces: ${traces.length}`,
);
for (const c of containers) console.log(`  left: container ${c.Id.slice(0, 12)} ${c.Labels[OWNER_LABEL]} ${c.State}`);
for (const i of images) console.log(`  left: image ${i.Id.slice(7, 19)} ${i.Labels?.[OWNER_LABEL]}`);
for (const name of cgroups) console.log(`  left: cgroup ${name}`);
for (const dir of traces) console.log(`  left: signal trace ${dir} (its lab process is gone)`);
const failed = containers.length + images.length + cgroups.length + traces.length > 0;
console.log(`leftovers: ${failed ? 0 : 1} passed, ${failed ? 1 : 0} failed`);
process.exitCode = failed ? 1 : 0;
