// Turns a stream of text chunks into whole lines: a chunk may end in the middle of a line. A line is
// at most `maxLine` characters: a longer one (a learner's program can print gigabytes without a
// newline) is passed on cut, and the rest of it is dropped, so what is held stays bounded.

/** The longest line kept by default. */
export const MAX_LINE = 64 * 1024;

/** Feeds chunks with push(); each complete line (without its newline) goes to onLine. */
export function splitLines(
  onLine: (line: string) => void,
  maxLine = MAX_LINE,
): { push(chunk: string): void; flush(): void } {
  let buffer = '';
  /** The current line was already passed on cut: drop it up to its newline. */
  let dropping = false;
  return {
    push(chunk: string) {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (dropping) dropping = false;
        else onLine(line);
      }
      if (buffer.length > maxLine) {
        if (!dropping) onLine(`${buffer.slice(0, maxLine)}…`);
        dropping = true;
        buffer = '';
      }
    },
    flush() {
      if (buffer && !dropping) onLine(buffer);
      buffer = '';
      dropping = false;
    },
  };
}
