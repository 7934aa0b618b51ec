// /dev and /dev/shm read from the host, through a real container's root: their files, never what a link names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { waitFor } from '../testing/wait-for';
import { shmFileHeads } from './shm-files';

test('the files a container keeps in /dev and /dev/shm are read, links to the host are not followed', async () => {
  const docker = dockerFromEnv();
  const script =
    'echo 4242 > /dev/shm/app.pid; mkdir /dev/shm/d; echo nested > /dev/shm/d/x.log; ln -s /etc/passwd /dev/shm/passwd; ln -s / /dev/shm/root; echo 77 > /dev/my.pid; mkdir /dev/run; echo tick > /dev/run/a.log; ln -s /etc/passwd /dev/passwd; touch /dev/shm/ready; sleep 30';
  const container = await docker.createContainer({
    Image: 'lab/node',
    Cmd: ['sh', '-c', script],
    Labels: { [OWNER_LABEL]: `test-shm-${process.pid}` },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { State } = await container.inspect();
    const heads = await waitFor(
      () => {
        const found = shmFileHeads(State.Pid);
        return found.some((head) => head.path === '/dev/shm/ready') && found;
      },
      { timeoutMs: 5_000, what: 'the script to write /dev/shm/ready', intervalMs: 100 },
    );
    const byPath = Object.fromEntries(heads.map((head) => [head.path, head.head]));
    assert.equal(byPath['/dev/shm/app.pid'], '4242\n');
    assert.equal(byPath['/dev/shm/d/x.log'], 'nested\n');
    assert.equal(byPath['/dev/shm/passwd'], undefined, 'a link is not followed');
    assert.ok(!heads.some((head) => head.path.startsWith('/dev/shm/root')), 'a link to the host root is not walked');
    // /dev is a tmpfs too: a file written there is found; its device nodes are not files, and /dev/shm is read once.
    assert.equal(byPath['/dev/my.pid'], '77\n');
    assert.equal(byPath['/dev/run/a.log'], 'tick\n');
    assert.equal(byPath['/dev/passwd'], undefined, 'a link is not followed');
    assert.ok(!('/dev/null' in byPath));
    assert.equal(new Set(heads.map((head) => head.path)).size, heads.length, 'no file twice');
  } finally {
    await container.remove({ force: true });
  }
});
