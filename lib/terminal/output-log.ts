// The recent output of a shell, bounded, with absolute byte offsets: byte n of the shell's output is
// always byte n, so a client that comes back after a dropped connection asks for "everything from n on"
// and gets exactly that, as long as the log still holds it.

/** A bounded log of a byte stream, addressed by absolute offsets. */
export class OutputLog {
  private readonly chunks: Buffer[] = [];
  private held = 0;
  /** Absolute offset of the first byte still held. */
  private first = 0;

  constructor(readonly capacity: number) {}

  /** Absolute offset just past the last byte written (the total written so far). */
  get end(): number {
    return this.first + this.held;
  }

  /** Absolute offset of the oldest byte still held. */
  get start(): number {
    return this.first;
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.held += chunk.length;
    while (this.held > this.capacity) {
      const oldest = this.chunks[0];
      const excess = this.held - this.capacity;
      if (oldest.length <= excess) {
        this.chunks.shift();
        this.held -= oldest.length;
        this.first += oldest.length;
      } else {
        this.chunks[0] = oldest.subarray(excess);
        this.held -= excess;
        this.first += excess;
      }
    }
  }

  /**
   * The bytes from `offset` to the end, in pieces of at most `maxPiece` bytes. An offset older than the
   * log reads from its start (the caller learns where from `start`); one past the end reads nothing.
   */
  readFrom(offset: number, maxPiece: number): Buffer[] {
    let skip = Math.max(0, Math.min(offset, this.end) - this.first);
    const pieces: Buffer[] = [];
    for (const chunk of this.chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const rest = chunk.subarray(skip);
      skip = 0;
      for (let at = 0; at < rest.length; at += maxPiece) pieces.push(rest.subarray(at, at + maxPiece));
    }
    return pieces;
  }
}
