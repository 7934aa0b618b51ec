// The Dockerfile rules of the lab, checked before a build: learner images start FROM a lab image,
// fetch nothing and reach nothing outside their build. Each problem names its line.
import path from 'node:path';
import type { Rejection } from './learner-files';

/** One instruction of a Dockerfile, with the line it starts on (1-based). */
export interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

const KNOWN = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME',
  'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

/** Parser directives Docker reads at the top of a Dockerfile; other `# key=value` lines are comments. */
const DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/**
 * Splits a Dockerfile into instructions, joining continuation lines as Docker does (comment and
 * blank lines inside a continuation are skipped, not ends); parser directives are returned apart.
 */
export function parseDockerfile(text: string): {
  instructions: Instruction[];
  directives: { line: number; name: string }[];
  /** The last instruction ends in a line continuation (a backslash) with nothing after it. */
  unterminated: boolean;
} {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  const directives: { line: number; name: string }[] = [];
  let inDirectives = true;
  let current: Instruction | null = null;
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (current === null && inDirectives) {
      const directive = /^#\s*([a-zA-Z]+)\s*=/.exec(trimmed);
      if (directive && DIRECTIVES.has(directive[1].toLowerCase())) {
        directives.push({ line: lineNo, name: directive[1].toLowerCase() });
        return;
      }
      inDirectives = false;
    }
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let body = trimmed;
    const continues = body.endsWith('\\');
    if (continues) body = body.slice(0, -1).trimEnd();
    if (current === null) {
      const match = /^(\S+)\s*(.*)$/.exec(body)!;
      current = { line: lineNo, keyword: match[1].toUpperCase(), args: match[2] };
    } else {
      current.args = `${current.args} ${body}`.trim();
    }
    if (!continues) {
      instructions.push({ ...current, args: current.args.trim() });
      current = null;
    }
  });
  const unterminated = current !== null;
  if (current) instructions.push(current);
  return { instructions, directives, unterminated };
}

function flags(args: string): { flags: string[]; rest: string } {
  const found: string[] = [];
  let rest = args;
  for (let match = /^--(\S+)\s*/.exec(rest); match; match = /^--(\S+)\s*/.exec(rest)) {
    found.push(match[1]);
    rest = rest.slice(match[0].length);
  }
  return { flags: found, rest };
}

function words(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const parsed = JSON.parse(rest);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* not JSON: fall through to shell words */
    }
  }
  return rest.split(/\s+/).filter(Boolean);
}

const FORBIDDEN_PATH = /^\/(proc|sys)(\/|$)/;

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}

/** Problems with a Dockerfile under the lab's rules; empty when it may be built. */
export function checkDockerfile(text: string, labImages: string[], file = 'Dockerfile'): Rejection[] {
  const problems: Rejection[] = [];
  const { instructions, directives, unterminated } = parseDockerfile(text);
  if (unterminated) {
    problems.push({ file, line: instructions.at(-1)?.line, message: 'the last instruction ends with a line continuation (\\) and nothing after it' });
  }
  const allowed = labImages.join(', ');
  for (const directive of directives) {
    problems.push({
      file,
      line: directive.line,
      message: `the parser directive "# ${directive.name}=" is not allowed here: the lab chooses the builder`,
    });
  }
  if (instructions.length === 0) {
    problems.push({ file, line: 1, message: 'the Dockerfile has no instructions; start with FROM lab/node' });
    return problems;
  }
  const stages = new Set<string>();
  let stageCount = 0;
  const isAllowedImage = (ref: string) => {
    const name = ref.toLowerCase();
    if (/^\d+$/.test(name)) return Number(name) < stageCount;
    return stages.has(name) || labImages.some((image) => name === image || name === `${image}:latest`);
  };
  // Where a relative WORKDIR or COPY destination lands, so that /proc cannot be reached in two steps.
  let workdir = '/';
  const resolvePath = (target: string) => path.posix.resolve(workdir, unquote(target));
  const forbiddenTarget = (target: string) => FORBIDDEN_PATH.test(resolvePath(target));
  instructions.forEach((instruction, index) => {
    const { line, keyword, args } = instruction;
    const problem = (message: string) => problems.push({ file, line, message });
    if (!KNOWN.has(keyword)) {
      problem(`unknown instruction "${keyword}"`);
      return;
    }
    if (index === 0 && keyword !== 'FROM' && keyword !== 'ARG') problem('the first instruction must be FROM (for example FROM lab/node)');
    const { flags: given, rest } = flags(args);
    switch (keyword) {
      case 'FROM': {
        const [image, as, alias] = rest.split(/\s+/);
        if (given.length) problem(`FROM --${given[0].split('=')[0]} is not allowed`);
        if (!image) problem('FROM needs an image, for example FROM lab/node');
        else if (!isAllowedImage(image)) problem(`FROM ${image} is not allowed: build FROM a lab image (${allowed})`);
        if (as?.toUpperCase() === 'AS' && alias) stages.add(alias.toLowerCase());
        stageCount++;
        workdir = '/';
        break;
      }
      case 'RUN':
        if (given.length) problem(`RUN --${given[0].split('=')[0]} is not allowed: builds get no mounts, network or extra privileges`);
        break;
      case 'ADD':
      case 'COPY': {
        let fromStage = false;
        for (const flag of given) {
          const [name, value] = flag.split('=');
          if (name === 'from') {
            fromStage = true;
            if (!value) problem(`${keyword} --from needs a stage name or a lab image`);
            else if (!isAllowedImage(value)) problem(`${keyword} --from=${value} is not allowed: copy from a stage or a lab image`);
          } else if (name !== 'chown' && name !== 'chmod') {
            problem(`${keyword} --${name} is not allowed`);
          }
        }
        const parts = words(rest);
        const sources = parts.slice(0, -1);
        const target = parts.at(-1);
        if (sources.some((source) => /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.startsWith('git@'))) {
          problem(`${keyword} of a URL is not allowed: builds have no network; put the file in the exercise instead`);
        }
        // Sources come from the exercise files, unless copied from a stage or image (where paths are absolute).
        if (!fromStage && sources.some((source) => source.startsWith('/') || source.split('/').includes('..'))) {
          problem(`${keyword} sources must be files of the exercise (no absolute paths, no "..")`);
        }
        if (target?.includes('$')) problem(`${keyword} destinations with variables are not allowed here: write the path out`);
        else if (target && forbiddenTarget(target)) problem(`${keyword} into ${target} is not allowed: /proc and /sys belong to the kernel`);
        break;
      }
      case 'WORKDIR': {
        const target = rest.trim();
        if (target.includes('$')) problem('WORKDIR with a variable is not allowed here: write the path out');
        else if (forbiddenTarget(target)) problem(`WORKDIR ${target} is not allowed: /proc and /sys belong to the kernel`);
        else workdir = resolvePath(target);
        break;
      }
      case 'VOLUME':
        if (words(rest).some((target) => target.includes('$') || forbiddenTarget(target))) problem('VOLUME under /proc or /sys (or with a variable) is not allowed');
        break;
      default:
        break;
    }
  });
  return problems;
}
