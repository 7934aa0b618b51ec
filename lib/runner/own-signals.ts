// Which signals to PID 1 the lab sent itself. Docker reports every signal an API client delivers
// (`docker kill`, the signals of `docker stop`) as a `kill` event; in a run, only the lab's own stop and
// signal steps send them. One at any other moment came from outside the run (an operator's docker kill,
// another program on the engine): what the container did next is not the learner's program's doing,
// and a check judged on it would blame the learner.

/** A little slack around a step: the engine stamps its events by the same clock, a few ms apart. */
const SLACK_MS = 250;

/** The moments the lab's own signalling steps ran. */
export class OwnSignals {
  private readonly spans: { from: number; to: number }[] = [];

  /** Runs a step that signals PID 1 (a stop, a signal), recording when it ran. */
  async during<T>(step: () => Promise<T>): Promise<T> {
    const span = { from: Date.now(), to: Number.POSITIVE_INFINITY };
    this.spans.push(span);
    try {
      return await step();
    } finally {
      span.to = Date.now();
    }
  }

  /** The lab is about to signal PID 1 outside a step (a watch past its limit kills the container). */
  expect(withinMs: number): void {
    this.spans.push({ from: Date.now(), to: Date.now() + withinMs });
  }

  /** True when a signal Docker delivered at `time` (epoch ms) came from no step of the lab's. */
  foreign(time: number): boolean {
    return !this.spans.some((span) => time >= span.from - SLACK_MS && time <= span.to + SLACK_MS);
  }
}

/** What a scenario whose container was signalled from outside the run says. */
export function foreignSignalMessage(signal: string): string {
  return `the container was sent ${signal} from outside the lab's run (a docker kill or docker stop the lab did not send), so what followed is not your program's doing`;
}
