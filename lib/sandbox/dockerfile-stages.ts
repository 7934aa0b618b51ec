// Which stage or image a FROM or a COPY --from names, resolved as the classic builder resolves them
// (moby v20.10.24, builder/dockerfile/evaluator.go stagesBuildResults, dispatchers.go getImageOrStage,
// getImageMount, dispatchTriggeredOnBuild; vendor/.../instructions/parse.go parseBuildStageName).
import { extractBuilderFlags } from './dockerfile-flags';
import { readDockerfile, splitCommand } from './dockerfile-parser';
import { goLower, isAsKeyword, splitWhitespace, wordValue } from './dockerfile-words';

/** The words of a FROM: its image and, after AS, the stage name the engine folds to lower case. */
export interface FromWords {
  image: string | undefined;
  alias: string | undefined;
  /** One word, or three with AS in the middle: anything else the engine refuses. */
  wellFormed: boolean;
}

/** instructions.parseBuildStageName: the words are split on reWhitespace, the name is not lexed. */
export function fromWords(args: string): FromWords {
  const words = splitWhitespace(args);
  if (words.length === 3 && isAsKeyword(words[1]))
    return { image: words[0], alias: goLower(words[2]), wellFormed: true };
  return { image: words[0], alias: undefined, wellFormed: words.length === 1 };
}

/** A stage name the engine accepts (after lower-casing). */
export const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/**
 * strconv.ParseInt(value, 10, 0), which the engine tries on a --from that names no stage: it takes a
 * sign and leading zeros, so "+1", "-0" and "02" are stage numbers 1, 0 and 2 to it, never images (a
 * number past int64 fails to parse and becomes an image reference; the lab refuses it with the others).
 */
const PARSE_INT = /^[+-]?[0-9]+$/;
/** A stage number as the lab wants it written: plain decimal, no sign, no leading zero. */
const STAGE_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The stages of a Dockerfile met so far, instructions walked in order. A stage becomes nameable (by
 * name or number) only once it is complete: the engine commits a stage's name when the stage ends
 * (commitStage), that is when the next FROM starts. Inside a stage, its own name is not a stage yet.
 */
export class StageBook {
  private readonly completed: string[] = [];
  private current: string | undefined = undefined;
  private inStage = false;

  /** A FROM first ends the stage before it, which later FROMs and COPY --from may then name. */
  endStage(): void {
    if (this.inStage) this.completed.push(this.current ?? '');
    this.current = undefined;
    this.inStage = false;
  }

  /** Then it starts its own stage, with its lower-cased name if it has one. */
  startStage(alias: string | undefined): void {
    this.current = alias;
    this.inStage = true;
  }

  /** The number of complete stages: the stage numbers COPY --from may use are below it. */
  get completedCount(): number {
    return this.completed.length;
  }

  /** getByName: a complete stage of this name, compared as Go's ToLower folds it. */
  isStage(name: string): boolean {
    const folded = goLower(name);
    return folded !== '' && this.completed.includes(folded);
  }

  /** The name of the stage being read, which is not a stage yet for its own instructions. */
  isCurrentStage(name: string): boolean {
    return this.current !== undefined && this.current === goLower(name);
  }
}

/** What a COPY --from value is to the engine, and so to the lab ('this-stage' is an image to the engine). */
export type CopySource = 'stage' | 'stage-number' | 'this-stage' | 'bad-number' | 'trigger-stage' | 'image';

/**
 * stagesBuildResults.get: a complete stage's name, else a number (an index below the complete stages,
 * anything else an error), else an image. In an ONBUILD trigger the names and numbers are those of the
 * later build that runs it (dispatchTriggeredOnBuild uses that build's stages), so they are not this
 * file's stages.
 */
export function copySource(value: string, book: StageBook, inTrigger: boolean): CopySource {
  if (PARSE_INT.test(value)) {
    if (inTrigger) return 'trigger-stage';
    return STAGE_INDEX.test(value) && Number(value) < book.completedCount ? 'stage-number' : 'bad-number';
  }
  if (inTrigger) return 'image';
  if (book.isStage(value)) return 'stage';
  if (book.isCurrentStage(value)) return 'this-stage';
  return 'image';
}

/** An image a Dockerfile names, which a caller may point at a namespace or resolve to an image ID. */
export interface ImageReference {
  line: number;
  kind: 'from' | 'copy-from';
  name: string;
}

/**
 * Every image the Dockerfile names: FROM images that are not stages, COPY --from values that are
 * neither stages nor stage numbers, also in ONBUILD triggers; names as the engine reads them (quotes of
 * FROM removed, quotes and escapes of flags removed). Meaningful for a Dockerfile checkDockerfile accepts.
 */
export function imageReferences(text: string): ImageReference[] {
  const references: ImageReference[] = [];
  const book = new StageBook();
  for (const { line, keyword, rest } of readDockerfile(text).instructions) {
    if (keyword === 'FROM') {
      const { image, alias } = fromWords(extractBuilderFlags(rest).args);
      const name = image === undefined ? undefined : wordValue(image);
      book.endStage();
      if (name && 'value' in name && !book.isStage(name.value))
        references.push({ line, kind: 'from', name: name.value });
      book.startStage(alias);
    } else if (keyword === 'COPY' || keyword === 'ADD' || keyword === 'ONBUILD') {
      const trigger = keyword === 'ONBUILD' ? splitCommand(extractBuilderFlags(rest).args) : undefined;
      if (trigger && trigger.keyword !== 'COPY' && trigger.keyword !== 'ADD') continue;
      for (const flag of extractBuilderFlags(trigger ? trigger.rest : rest).flags) {
        if (flag.name !== 'from' || !flag.value) continue;
        const source = copySource(flag.value, book, trigger !== undefined);
        if (source === 'image' || source === 'this-stage')
          references.push({ line, kind: 'copy-from', name: flag.value });
      }
    }
  }
  return references;
}
