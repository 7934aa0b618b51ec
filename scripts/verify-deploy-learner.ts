// What a learner does through the containerized server in `npm run verify-deploy`: a Run of an
// exercise's solution, followed to its result, and commands typed into a terminal.
import WebSocket from 'ws';
import { caseFiles, type Exercise } from '../lib/lessons/curriculum';
import { followSse } from './test-harness';
import { VerifyError } from './verify-error';

/** A new learner's run of an exercise's solution through the containerized server: its status and events. */
export async function runSolution(
  base: string,
  exercise: Exercise,
): Promise<{ status: string; snapshots: number; fromProc: boolean; learner: string }> {
  const files = caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
  const started = await fetch(`${base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ exerciseId: exercise.id, files }),
  });
  if (started.status !== 202)
    throw new VerifyError(`POST /api/runs answered ${started.status}: ${await started.text()}`);
  const cookie = started.headers.get('set-cookie')!.split(';')[0];
  const { runId } = (await started.json()) as { runId: string };
  let status = '';
  let snapshots = 0;
  let fromProc = false;
  await followSse(await fetch(`${base}/api/runs/${runId}/events`, { headers: { cookie } }), (event, data) => {
    if (event === 'result') {
      status = (data as { status: string }).status;
      return true;
    }
    const timelineEvent = data as { type: string; processes?: { hostPid?: number }[] };
    if (timelineEvent.type === 'snapshot') {
      snapshots++;
      // Host PIDs come only from the /proc sampler: the lab sees the host's processes.
      fromProc ||= Boolean(timelineEvent.processes?.some((process) => process.hostPid));
    }
  });
  return { status, snapshots, fromProc, learner: cookie.split('=')[1].split('.')[0] };
}

/** Types commands into a learner's terminal and resolves with the output once `marker` appears. */
export async function terminal(
  base: string,
  cookie: string,
  commands: string,
  marker: string,
  timeoutMs: number,
): Promise<string> {
  const params = new URLSearchParams({ exerciseId: 'main-process-exit/pid1', cols: '120', rows: '40' });
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/terminal?${params}`, { headers: { cookie } });
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new VerifyError(
              `the terminal did not print ${marker} within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`,
            ),
          ),
        timeoutMs,
      );
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary) {
          const message = JSON.parse(data.toString()) as { type: string; message?: string };
          if (message.type === 'ready') ws.send(Buffer.from(commands), { binary: true });
          if (message.type === 'error') reject(new VerifyError(`terminal error: ${message.message}`));
          return;
        }
        output += data.toString('utf8');
        if (output.includes(marker)) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      ws.on('error', reject);
    });
  } finally {
    ws.close();
  }
}
