// A Server-Sent Events reader that keeps each event's id; the tests' followSse reads with it. The soak
// checks that a client which went away and came back with Last-Event-ID gets the run's timeline with nothing missing and nothing twice.

/** One event of the stream. */
export interface SseEvent {
  id?: number;
  event: string;
  data: unknown;
}

/** The events of a streaming response as they come; ends with the stream, throws when it breaks. */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
        }
        const data = fields.get('data');
        if (data === undefined) continue;
        const id = fields.get('id');
        yield {
          id: id === undefined ? undefined : Number(id),
          event: fields.get('event') ?? 'message',
          data: JSON.parse(data),
        };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
