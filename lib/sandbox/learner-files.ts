// The files a learner sends: names and sizes checked before anything is built. Everything here is a
// learner's mistake, reported as a Rejection naming the file (and line), never thrown.
import { CONTEXT_LIMITS, type ContextLimits } from './limits';

/** One file of the learner's build context. */
export interface LearnerFile {
  name: string;
  content: string;
}

/** Why the learner's input was refused before any build. */
export interface Rejection {
  file: string;
  line?: number;
  message: string;
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Problems with the set of files: names, count and sizes. Empty when the files may be built. */
export function checkLearnerFiles(files: LearnerFile[], limits: ContextLimits = CONTEXT_LIMITS): Rejection[] {
  const problems: Rejection[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const file of files) {
    if (file.name.includes('..') || file.name.startsWith('/') || file.name.includes('/') || file.name.includes('\\')) {
      problems.push({
        file: file.name,
        message: 'file names must be plain names in the exercise folder: no "..", no "/", no absolute paths',
      });
      continue;
    }
    if (!SAFE_NAME.test(file.name)) {
      problems.push({ file: file.name, message: 'file names may use letters, digits, ".", "_" and "-" only' });
      continue;
    }
    if (seen.has(file.name)) problems.push({ file: file.name, message: 'the same file name appears twice' });
    seen.add(file.name);
    const bytes = Buffer.byteLength(file.content, 'utf8');
    total += bytes;
    if (bytes > limits.maxFileBytes) {
      problems.push({ file: file.name, message: `file is ${bytes} bytes; the limit is ${limits.maxFileBytes} bytes` });
    }
  }
  if (files.length > limits.maxFiles) {
    problems.push({ file: '(files)', message: `${files.length} files; the limit is ${limits.maxFiles}` });
  }
  if (total > limits.maxTotalBytes) {
    problems.push({
      file: '(files)',
      message: `the files add up to ${total} bytes; the limit is ${limits.maxTotalBytes} bytes`,
    });
  }
  if (!seen.has('Dockerfile')) problems.push({ file: 'Dockerfile', message: 'there is no Dockerfile' });
  return problems;
}
