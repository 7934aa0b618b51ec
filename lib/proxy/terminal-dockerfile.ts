// The Dockerfile of a terminal build, checked as the engine will read it: the lab's rules (after the
// engine's own word processing, inside ONBUILD too), no ADD where the context holds an archive (ADD
// would unpack it inside the engine, outside any limit), and the learner's own images named in their
// namespace on the engine. Pure: the images each name resolves to are checked by the build route.
import type { ContextFile } from '../sandbox/engine';
import { checkDockerfile, imageReferences, parseDockerfile } from '../sandbox/dockerfile-rules';
import { isArchive } from './build-context';
import type { Refusal } from './refusal';
import type { Scope } from './scope';

/** The Dockerfile to build and the learner's own images it names (as they wrote them). */
export interface CheckedDockerfile {
  text: string;
  ownImages: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every instruction keyword, ONBUILD's included (`ONBUILD ADD x y` counts as ADD). */
function keywords(text: string): string[] {
  return parseDockerfile(text).instructions.flatMap((instruction) =>
    instruction.keyword === 'ONBUILD'
      ? [instruction.keyword, instruction.args.split(/\s+/)[0]?.toUpperCase() ?? '']
      : [instruction.keyword],
  );
}

/**
 * The checked Dockerfile, with FROM and `--from=` names of the learner's own images pointed at their
 * namespace, or the refusal (with the line) the CLI prints.
 */
export function checkTerminalDockerfile(
  dockerfile: { name: string; text: string },
  files: ContextFile[],
  labImages: string[],
  ownNames: string[],
  scope: Scope,
): CheckedDockerfile | { refusal: Refusal } {
  const problems = checkDockerfile(dockerfile.text, [...labImages, ...ownNames], dockerfile.name);
  if (problems.length) {
    return {
      refusal: {
        status: 400,
        message: problems.map((p) => `${p.file}${p.line ? ` line ${p.line}` : ''}: ${p.message}`).join('; '),
      },
    };
  }
  const archive = files.find((file) => isArchive(file.content));
  if (archive && keywords(dockerfile.text).includes('ADD')) {
    return {
      refusal: {
        status: 400,
        message: `${dockerfile.name}: ADD would unpack ${archive.name} (an archive) inside the Docker engine, which the lab does not allow: COPY it and unpack it in a RUN step`,
      },
    };
  }
  const own = new Set(ownNames.map((name) => name.toLowerCase()));
  const labs = new Set(labImages.map((name) => name.toLowerCase()));
  const lines = dockerfile.text.split('\n');
  const ownImages: string[] = [];
  for (const reference of imageReferences(dockerfile.text)) {
    const name = reference.name.toLowerCase();
    if (!own.has(name) || labs.has(name)) continue;
    const index = reference.line - 1;
    const pattern =
      reference.kind === 'from'
        ? new RegExp(`^(\\s*FROM\\s+)(["']?)${escapeRegExp(reference.name)}\\2(?=\\s|$)`, 'i')
        : new RegExp(`(--from=)(["']?)${escapeRegExp(reference.name)}\\2(?=\\s|$)`, 'i');
    const rewritten = lines[index]?.replace(pattern, `$1$2${scope.imagePrefix}${reference.name}$2`);
    if (rewritten === undefined || rewritten === lines[index]) {
      return {
        refusal: {
          status: 400,
          message: `${dockerfile.name} line ${reference.line}: write ${reference.kind === 'from' ? 'FROM' : '--from='} and the image ${reference.name} on the instruction's first line`,
        },
      };
    }
    lines[index] = rewritten;
    ownImages.push(reference.name);
  }
  return { text: lines.join('\n'), ownImages };
}
