// Docker's multiplexed stream (a container without a TTY): frames of an 8-byte header (the stream in
// byte 0, the payload's size in bytes 4..7) and the payload.
import type { Readable } from 'node:stream';

/** Parses Docker's multiplexed (non-TTY) stream into stdout and stderr payloads. */
export function demux(stream: Readable, onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void): void {
  let buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const kind = buffer[0] === 2 ? 'stderr' : 'stdout';
      onFrame(kind, buffer.subarray(8, 8 + size));
      buffer = buffer.subarray(8 + size);
    }
  });
}
