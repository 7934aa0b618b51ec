// Server-Sent Events for the routes that stream: one place for the framing, the reconnection delay,
// keep-alive comments and the end of the stream, whether the page left or the producer finished.
/** What a producer writes to. */
export interface EventSink {
  /** One event; `id` is what EventSource sends back as Last-Event-ID when it reconnects. */
  send(event: string, data: unknown, id?: string): void;
  /** Aborted once the page has gone (or the stream was cancelled). */
  signal: AbortSignal;
}

export interface EventStreamOptions {
  /** How long EventSource waits before reconnecting. */
  retryMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  keepaliveMs?: number;
}

/** Resolves once the signal is aborted: for producers that follow something until the page leaves. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * A streaming response. `produce` writes events and resolves when there is nothing more to say (the
 * stream then ends); it must also resolve once `sink.signal` is aborted.
 */
export function eventStream(
  request: Request,
  produce: (sink: EventSink) => Promise<void>,
  options: EventStreamOptions,
): Response {
  const gone = new AbortController();
  request.signal.addEventListener('abort', () => gone.abort(), { once: true });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const write = (text: string) => {
        if (open && !gone.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (!open) return;
        open = false;
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          /* cancelled already */
        }
      };
      const keepalive = options.keepaliveMs
        ? setInterval(() => write(': keepalive\n\n'), options.keepaliveMs)
        : undefined;
      gone.signal.addEventListener('abort', close, { once: true });
      write(`retry: ${options.retryMs}\n\n`);
      const sink: EventSink = {
        send: (event, data, id) =>
          write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        signal: gone.signal,
      };
      try {
        await produce(sink);
      } finally {
        close();
      }
    },
    cancel() {
      gone.abort();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
