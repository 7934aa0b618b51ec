// The narrow interface between the lab and the engine for learners' workstations: a long-lived
// container per learner, files copied into it, and interactive shells (TTY execs) in it.
// lib/sandbox/docker-workstation-host.ts implements it with dockerode.
import type { DiskLimits, DiskUsage } from './disk-usage';
import type { LearnerFile } from './learner-files';
import type { RunLimits } from './limits';

/** A workstation container to create and start. */
export interface WorkstationSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  limits: RunLimits;
  /** Unix socket on this host mounted at /var/run/docker.sock inside. */
  dockerSocket: string;
}

/** Terminal size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** An interactive shell on a TTY: the bytes it writes, the bytes typed into it, its size and its end. */
export interface Shell {
  /** Output of the TTY, in the order written. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the shell is gone, with its exit code (null when the engine cannot say). */
  onExit(listener: (code: number | null) => void): void;
  write(data: Buffer): void;
  resize(size: TerminalSize): void;
  /** Stops reading output: the shell blocks on its next write once the pipes are full. */
  pause(): void;
  resume(): void;
  /** Ends the shell and what runs in its foreground (SIGHUP, as when a terminal is closed). */
  close(): void;
}

/** The workstation operations the lab needs. */
export interface WorkstationHost {
  /** True when the engine runs on this host: only then can a socket here be mounted into a container. */
  readonly local: boolean;
  /** Creates and starts the container; resolves with its id. */
  start(spec: WorkstationSpec): Promise<string>;
  /** Force-removes the container (gone already is fine). */
  remove(containerId: string): Promise<void>;
  /** Writes the files into `dir` in the container, owned by the workstation's user. */
  putFiles(containerId: string, dir: string, files: LearnerFile[]): Promise<void>;
  /** Starts a login shell on a TTY of this size in `dir`. */
  openShell(containerId: string, dir: string, size: TerminalSize): Promise<Shell>;
  /** What the container wrote to its own filesystem, up to just past the limits (null: cannot tell). */
  diskUsage(containerId: string, limits: DiskLimits): Promise<DiskUsage | null>;
}
