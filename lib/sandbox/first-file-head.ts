// The start of one file of a container, out of the tar archive the engine answers a copy with.
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/**
 * The first entry of a tar stream when it is a regular file: its size and its first bytes. The rest of
 * the stream is not read (a folder's archive holds the whole folder).
 */
export function firstFileHead(archive: Readable, maxBytes: number): Promise<{ size: number; head: string } | null> {
  return new Promise((resolve) => {
    const extract = tar.extract();
    let settled = false;
    const done = (result: { size: number; head: string } | null) => {
      if (settled) return;
      settled = true;
      archive.destroy();
      extract.destroy();
      resolve(result);
    };
    extract.on('entry', (header, stream) => {
      if (header.type !== 'file') return done(null);
      const chunks: Buffer[] = [];
      let read = 0;
      stream.on('data', (data: unknown) => {
        const chunk = data as Buffer;
        chunks.push(chunk);
        read += chunk.length;
        if (read >= maxBytes)
          done({ size: header.size ?? read, head: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8') });
      });
      stream.on('end', () => done({ size: header.size ?? read, head: Buffer.concat(chunks).toString('utf8') }));
    });
    extract.on('error', () => done(null));
    extract.on('finish', () => done(null));
    archive.on('error', () => done(null));
    archive.pipe(extract);
  });
}
