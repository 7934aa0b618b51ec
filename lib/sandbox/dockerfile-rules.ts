// The Dockerfile rules of the lab, checked before a build: learner images start FROM a lab image,
// fetch nothing and reach nothing outside their build. Each problem names its line.
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

/** Splits a Dockerfile into instructions, joining continuation lines; directives are returned apart. */
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
      if (directive) {
        directives.push({ line: lineNo, name: directive[1].toLowerCase() });
        return;
      }
      if (trimmed !== '' || index > 0) inDirectives = false;
    }
    if (current === null) {
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const match = /^(\S+)\s*(.*)$/.exec(trimmed)!;
      current = { line: lineNo, keyword: match[1].toUpperCase(), args: match[2] };
    } else if (!trimmed.startsWith('#')) {
      current.args += ' ' + trimmed;
    }
    if (current.args.endsWith('\\')) {
      current.args = current.args.slice(0, -1).trimEnd();
    } else {
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
  const isAllowedImage = (ref: string) => {
    const name = ref.toLowerCase();
    return stages.has(name) || labImages.some((image) => name === image || name === `${image}:latest`);
  };
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
        break;
      }
      case 'RUN':
        if (given.length) problem(`RUN --${given[0].split('=')[0]} is not allowed: builds get no mounts, network or extra privileges`);
        break;
      case 'ADD':
      case 'COPY': {
        for (const flag of given) {
          const [name, value] = flag.split('=');
          if (name === 'from' && !isAllowedImage(value ?? '')) problem(`${keyword} --from=${value} is not allowed: copy from a stage or a lab image`);
          if (name !== 'from' && name !== 'chown' && name !== 'chmod') problem(`${keyword} --${name} is not allowed`);
        }
        const parts = words(rest);
        const sources = parts.slice(0, -1);
        const target = parts.at(-1);
        if (sources.some((source) => /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.startsWith('git@'))) {
          problem(`${keyword} of a URL is not allowed: builds have no network; put the file in the exercise instead`);
        }
        if (sources.some((source) => source.startsWith('/') || source.split('/').includes('..'))) {
          problem(`${keyword} sources must be files of the exercise (no absolute paths, no "..")`);
        }
        if (target && FORBIDDEN_PATH.test(target)) problem(`${keyword} into ${target} is not allowed: /proc and /sys belong to the kernel`);
        break;
      }
      case 'WORKDIR':
        if (FORBIDDEN_PATH.test(rest.trim())) problem(`WORKDIR ${rest.trim()} is not allowed: /proc and /sys belong to the kernel`);
        break;
      case 'VOLUME':
        if (words(rest).some((target) => FORBIDDEN_PATH.test(target))) problem('VOLUME under /proc or /sys is not allowed');
        break;
      default:
        break;
    }
  });
  return problems;
}
