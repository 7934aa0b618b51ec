// What every route of one learner's proxy shares: the learner's scope on the engine, the engine
// client, their quotas and the state the proxy keeps for them (exec IDs they created, open streams).
import type Docker from 'dockerode';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RunSlots } from '../capacity/run-slots';
import type { TerminalQuotas } from '../sandbox/limits';
import type { EngineClient } from './engine-client';
import type { ApiHeaders } from './proxy-answers';
import type { Scope } from './scope';

/** Runs calls one after another: a quota is checked and the object created before the next check. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The learner's proxy, as the routes see it. */
export interface ProxyContext {
  docker: Docker;
  engine: EngineClient;
  scope: Scope;
  quotas: TerminalQuotas;
  /** The slots builds wait for, shared with runs. */
  slots: RunSlots;
  /** The lab images learners may use (kept a minute). */
  labImages(): Promise<string[]>;
  /** The learner's parent cgroup, made or renewed; null where the lab has none. */
  learnerParent(): Promise<string | null>;
  /** Exec instances this learner created: the only ones they may start, resize or inspect. */
  execs: Set<string>;
  /** Creations that count against a quota, one at a time. */
  creations: SerialQueue;
  /**
   * Holds one of the learner's stream slots, before anything is opened on the engine: given back by
   * the function returned (at most once), and by itself when the connection closes. Null when the
   * learner has too many open: the answer (429) is sent on `res` when there is one.
   */
  holdStream(socket: Duplex, res?: http.ServerResponse): (() => void) | null;
  /** The longest a stream (logs -f, events, attach, exec) may stay open. */
  streamLifetimeMs: number;
}

/** One call of the learner's CLI, classified. */
export interface ProxyCall {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  query: URLSearchParams;
  /** The API version prefix the engine is spoken to with for this call (`/v1.41`). */
  version: string;
  api: ApiHeaders;
}
