// One engine event stream per run, dispatched to the scenario that owns each container. Events for a
// container not yet registered (the stream can be faster than the create call's answer) wait for it.
import type { Engine, EngineEvent, Stoppable } from '../sandbox/engine';

/** Routes a run's engine events to per-container handlers. */
export class RunEvents {
  private readonly handlers = new Map<string, (event: EngineEvent) => void>();
  private readonly early = new Map<string, EngineEvent[]>();
  private stream: Stoppable | null = null;
  private closed = false;

  /**
   * Opens the stream; resolves once the engine has accepted it, so no later event is missed. `onLost` is
   * called if the engine ends the stream before the run closes it.
   */
  async open(engine: Engine, runId: string, onLost?: (detail: string) => void): Promise<void> {
    const stream = await engine.events(
      runId,
      (event) => this.dispatch(event),
      (detail) => {
        if (!this.closed) onLost?.(detail);
      },
    );
    // A run whose build failed before the stream opened has closed this already: the stream is nobody's.
    if (this.closed) stream.stop();
    else this.stream = stream;
  }

  private dispatch(event: EngineEvent) {
    const handler = this.handlers.get(event.containerId);
    if (handler) handler(event);
    else if (this.early.size < 100)
      this.early.set(event.containerId, [...(this.early.get(event.containerId) ?? []), event]);
  }

  register(containerId: string, handler: (event: EngineEvent) => void): void {
    this.handlers.set(containerId, handler);
    for (const event of this.early.get(containerId) ?? []) handler(event);
    this.early.delete(containerId);
  }

  unregister(containerId: string): void {
    this.handlers.delete(containerId);
  }

  close(): void {
    this.closed = true;
    this.stream?.stop();
    this.stream = null;
    this.handlers.clear();
  }
}
