// Turns a stream of text chunks into whole lines: a chunk may end in the middle of a line.

/** Feeds chunks with push(); each complete line (without its newline) goes to onLine. */
export function splitLines(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let buffer = '';
  return {
    push(chunk: string) {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        onLine(line);
      }
    },
    flush() {
      if (buffer) onLine(buffer);
      buffer = '';
    },
  };
}
