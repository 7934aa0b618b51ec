// A run's watch for its engine going away. Its signal aborts when the caller's does (the learner left,
// the server stops) or when the engine is lost (the run's event stream ended, a call's connection broke):
// every wait of the run ends then, and the run reports the loss instead of judging what it saw.
import { EngineLostError, isEngineConnectionError } from '../sandbox/engine-lost';

export class EngineLoss {
  private readonly controller = new AbortController();
  /** What showed the loss, once it happened. */
  detail: string | null = null;

  constructor(outer?: AbortSignal) {
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get happened(): boolean {
    return this.detail !== null;
  }

  lose(detail: string): void {
    if (this.detail !== null) return;
    this.detail = detail;
    this.controller.abort(new EngineLostError(detail));
  }

  /** True (and the loss recorded) when `error` is a broken or refused connection to the engine. */
  explains(error: unknown): boolean {
    if (isEngineConnectionError(error)) this.lose(error instanceof Error ? error.message : String(error));
    return this.happened;
  }
}
