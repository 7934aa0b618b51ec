// The files a build sends the engine: the Dockerfile with the run's labels as its last step, and the
// context packed as a tar of regular files (and folders) owned by root, dated 1970.
import tar from 'tar-stream';
import { parseDockerfile } from './dockerfile-rules';
import type { ContextFile } from './engine';
import type { LearnerFile } from './learner-files';

/**
 * The Dockerfile with the run's labels added as one LABEL instruction at the end of the stage that is
 * built (the last one, or `target`). The build API's `labels` option would add one LABEL step per
 * label, leaving a chain of labelled images behind the final one; a single step keeps every earlier
 * step a shared, unlabelled cache entry. Nothing of the learner's text is changed: the line is added
 * after it, and the result is read back to be sure the engine will see the LABEL as an instruction of
 * its own (a last line that continued onto it would swallow it, and with it the image's owner).
 */
export function labelledDockerfile(
  text: string,
  labels: Record<string, string>,
  target?: string,
): { text: string } | { problem: string } {
  const line = `LABEL ${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ')}`;
  const { instructions } = parseDockerfile(text);
  const froms = instructions.filter((instruction) => instruction.keyword === 'FROM');
  const stage = target
    ? froms.findIndex((from) => from.args.split(/\s+/)[2]?.toLowerCase() === target.toLowerCase())
    : -1;
  const next = stage >= 0 ? froms[stage + 1] : undefined;
  const lines = text.split('\n');
  let labelled: string;
  let at: number;
  if (next) {
    at = next.line;
    labelled = [...lines.slice(0, next.line - 1), line, ...lines.slice(next.line - 1)].join('\n');
  } else {
    at = text === '' || text.endsWith('\n') ? lines.length : lines.length + 1;
    labelled = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  }
  const read = parseDockerfile(labelled).instructions;
  const own = read.find((instruction) => instruction.line === at);
  if (read.length !== instructions.length + 1 || own?.keyword !== 'LABEL' || own.args !== line.slice('LABEL '.length)) {
    return {
      problem:
        'the Dockerfile ends in the middle of an instruction (a line continuation with nothing after it): finish its last instruction',
    };
  }
  return { text: labelled };
}

/** The files with the Dockerfile labelled (see labelledDockerfile); throws if it cannot be. */
export function withRunLabels(files: LearnerFile[], labels: Record<string, string>): LearnerFile[] {
  return files.map((file) => {
    if (file.name !== 'Dockerfile') return file;
    const labelled = labelledDockerfile(file.content, labels);
    if ('problem' in labelled) throw new Error(labelled.problem);
    return { ...file, content: labelled.text };
  });
}

/** Scripts are executable: a `.sh` file or one that starts with `#!`. */
export const isScript = (file: LearnerFile) => file.name.endsWith('.sh') || file.content.startsWith('#!');

/**
 * A tar archive of the files, in memory. Scripts are executable; nothing else is (no links, no devices).
 * Entries belong to root and date from 1970 (a build context's metadata carries nothing) unless the
 * options say otherwise: files copied into a container for its user are theirs and dated now.
 */
export async function packContext(
  files: LearnerFile[],
  options: { uid?: number; gid?: number; mtime?: Date } = {},
): Promise<Buffer> {
  const { uid = 0, gid = 0, mtime = new Date(0) } = options;
  const pack = tar.pack();
  for (const file of files) {
    const content = Buffer.from(file.content, 'utf8');
    const executable = isScript(file);
    pack.entry(
      { name: file.name, size: content.length, mode: executable ? 0o755 : 0o644, mtime, uid, gid, type: 'file' },
      content,
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A tar archive of a checked build context (the proxy's): regular files with their permission bits and
 * folders, owned by root, dated 1970, nothing else.
 */
export async function packTree(files: ContextFile[], directories: string[] = []): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date(0);
  for (const name of directories)
    pack.entry({ name: name.replace(/\/?$/, '/'), type: 'directory', mode: 0o755, mtime, uid: 0, gid: 0 });
  for (const file of files)
    pack.entry(
      { name: file.name, size: file.content.length, mode: file.mode & 0o777, mtime, uid: 0, gid: 0, type: 'file' },
      file.content,
    );
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
