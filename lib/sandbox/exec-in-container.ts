// `docker exec` of one command, its output collected up to 16 KiB, bounded in time.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { demux } from './demux';
import { withEngineDeadline } from './engine-deadline';

/** Runs `command` in a running container; a command past `timeoutMs` is left and answered with exit code -1. */
export async function execInContainer(
  docker: Docker,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<{ exitCode: number; output: string }> {
  const exec = await withEngineDeadline('creating an exec', () =>
    docker.getContainer(containerId).exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    }),
  );
  const stream = (await withEngineDeadline('starting an exec', () =>
    exec.start({ hijack: true, stdin: false }),
  )) as unknown as Readable;
  let output = '';
  demux(stream, (_kind, payload) => {
    if (output.length < 16_384) output += payload.toString('utf8');
  });
  const finished = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    finished.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  stream.destroy();
  if (timedOut) return { exitCode: -1, output: `${output}\n(the command did not finish within ${timeoutMs} ms)` };
  const info = await withEngineDeadline('inspecting an exec', () => exec.inspect());
  return { exitCode: info.ExitCode ?? -1, output };
}
