// What a learner's exec becomes on the engine: built field by field from the decoded model
// (request-models.ts), never privileged.
import { refuse } from './policy-refusal';
import type { Refusal } from './refusal';
import type { ExecCreateModel, ExecStartModel } from './request-models';

/** The engine's exec create body, or why it is refused. */
export function execCreateBody(model: ExecCreateModel): { body: Record<string, unknown> } | { refusal: Refusal } {
  if (model.Privileged) return refuse('docker exec --privileged is not allowed in the lab');
  const cmd = typeof model.Cmd === 'string' ? [model.Cmd] : (model.Cmd ?? []);
  if (cmd.length === 0) return refuse('No exec command specified', 400);
  if (model.DetachKeys && !/^[a-z0-9@[\\\]^_,-]{1,32}$/i.test(model.DetachKeys))
    return refuse(`Invalid detach keys (${model.DetachKeys}) provided`, 400);
  return {
    body: {
      Cmd: cmd,
      AttachStdin: model.AttachStdin ?? false,
      AttachStdout: model.AttachStdout ?? false,
      AttachStderr: model.AttachStderr ?? false,
      Tty: model.Tty ?? false,
      Detach: model.Detach ?? false,
      Privileged: false,
      ...(model.User ? { User: model.User } : {}),
      ...(model.Env ? { Env: model.Env } : {}),
      ...(model.WorkingDir ? { WorkingDir: model.WorkingDir } : {}),
      ...(model.DetachKeys ? { DetachKeys: model.DetachKeys } : {}),
      ...(model.ConsoleSize ? { ConsoleSize: model.ConsoleSize } : {}),
    },
  };
}

/** The engine's exec start body. */
export function execStartBody(model: ExecStartModel): Record<string, unknown> {
  return {
    Detach: model.Detach ?? false,
    Tty: model.Tty ?? false,
    ...(model.ConsoleSize ? { ConsoleSize: model.ConsoleSize } : {}),
  };
}
