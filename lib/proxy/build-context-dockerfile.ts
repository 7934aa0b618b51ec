// Which file of the context the engine would build from, chosen as engine 20.10.24 chooses it
// (builder/remotecontext/detect.go withDockerfileFromContext): the `dockerfile` parameter, `Dockerfile`
// when it is empty (builder/dockerfile/builder.go), and `dockerfile` only when that default is missing.
// The engine resolves the name inside the context (FullPath: filepath.Join under the context folder,
// symlinks followed in scope), so `./x`, `/x` and `y/../x` all mean `x`; the lab accepts only the plain
// form, and with no links in the context the plain name is the file.
import { plainName } from './build-context-names';
import { refuse, shown, sizeText, type BuildContextLimits, type ContextFile } from './build-context-types';

/** The Dockerfile the engine builds: its entry name (the `dockerfile` parameter to send) and its text. */
export interface ChosenDockerfile {
  name: string;
  /** UTF-8 text without a leading byte order mark, which the engine's parser drops too. */
  text: string;
}

/** The largest Dockerfile the lab reads. */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

const DEFAULT_NAME = 'Dockerfile';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The Dockerfile named by `param` (null or '' for the default) among `files`; `folders` holds every
 * folder of the context, explicit or implied by a path. Refuses (400) what the engine would not build.
 */
export function chooseDockerfile(
  param: string | null,
  files: ReadonlyMap<string, ContextFile>,
  folders: ReadonlySet<string>,
  limits: Pick<BuildContextLimits, 'maxNameBytes' | 'maxDepth'>,
): ChosenDockerfile {
  const asked = param || DEFAULT_NAME;
  const plain = plainName(asked, false, limits);
  if (!('name' in plain)) {
    const problem = 'problem' in plain ? plain.problem : 'names the context itself';
    refuse(
      `the Dockerfile must be named by a path inside the build context, such as sub/Dockerfile.dev; ${shown(asked)} ${problem}`,
    );
  }
  let name = plain.name;
  // The engine falls back only when the default name itself is missing: `-f ./Dockerfile` gets no fallback.
  const present = (candidate: string) => files.has(candidate) || folders.has(candidate);
  if (asked === DEFAULT_NAME && !present(name) && present(DEFAULT_NAME.toLowerCase()))
    name = DEFAULT_NAME.toLowerCase();
  // The engine opens a folder as the Dockerfile and fails reading it; the learner gets the reason instead.
  if (folders.has(name)) refuse(`the Dockerfile ${shown(name)} is a folder in the build context; name a file with -f`);
  const file = files.get(name);
  if (!file) refuse(`Cannot locate specified Dockerfile: ${asked}`); // the engine's own words
  if (file.content.length > MAX_DOCKERFILE_BYTES)
    refuse(
      `the Dockerfile ${shown(name)} is ${sizeText(file.content.length)}; the lab reads Dockerfiles up to ${sizeText(MAX_DOCKERFILE_BYTES)}`,
    );
  if (file.content.length === 0) refuse(`the Dockerfile (${name}) cannot be empty`); // the engine's words
  try {
    // The decoder drops one leading byte order mark, as the engine's parser does before its first line:
    // the lab's rules then read `\uFEFFFROM x` as the FROM line the engine sees.
    return { name, text: utf8.decode(file.content) };
  } catch {
    return refuse(`the Dockerfile ${shown(name)} is not UTF-8 text`);
  }
}
