// Defence in depth: where the lab starts the engine itself, it remaps user namespaces, so root in a
// learner's container is an unprivileged user on the host. Read from the host, as an escape would be.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { dockerFromEnv } from './docker-engine';
import { OWNER_LABEL } from './labels';

const docker = dockerFromEnv();

test('root in a container is not root on the host', async (t) => {
  const info = (await docker.info()) as { SecurityOptions?: string[] };
  if (!info.SecurityOptions?.includes('name=userns')) {
    t.skip('this engine was not started by the lab and does not remap user namespaces (README: Operating the lab)');
    return;
  }
  const container = await docker.createContainer({
    Image: 'lab/node',
    Cmd: ['sleep', '30'],
    Labels: { [OWNER_LABEL]: `test-userns-${process.pid}` },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { State } = await container.inspect();
    const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${State.Pid}/status`, 'utf8'))?.[1];
    assert.ok(uid && Number(uid) >= 65536, `PID 1 of the container runs as host uid ${uid}`);
    const top = await container.top({ ps_args: '-o pid,uid' });
    assert.deepEqual(
      top.Processes.map((row: string[]) => row[1]).filter((hostUid: string) => hostUid === '0'),
      [],
      'no process of the container is root on the host',
    );
  } finally {
    await container.remove({ force: true });
  }
});
