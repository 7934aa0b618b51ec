// The build output as the learner should read it: the lab adds one step of its own to their Dockerfile
// (a LABEL naming the run and its owner, see labelledDockerfile), and that step is none of theirs. Its
// lines are left out and the steps are counted as in the learner's file: "Step 4/4", not "Step 4/5".

/** The lab's own step, as the legacy builder announces it; a learner's LABEL may not use lab.* keys. */
const LAB_STEP = /^Step (\d+)\/(\d+) : LABEL lab\./;
const STEP = /^Step (\d+)\/(\d+) :/;
/** Lines that end a step's output: the next step, or the build's end. */
const NEXT = /^(Step \d+\/\d+ :|Successfully built |Successfully tagged )/;

/** Passes on the lines of one build, without the lab's step, renumbered; one instance per build. */
export class LearnerBuildOutput {
  /** The number of the lab's step once it has been seen. */
  private labStep: number | null = null;
  private hiding = false;

  constructor(private readonly onLine: (text: string) => void) {}

  /** Takes one line of build output. */
  line(text: string): void {
    const lab = LAB_STEP.exec(text);
    if (lab) {
      this.labStep = Number(lab[1]);
      this.hiding = true;
      return;
    }
    if (this.hiding && !NEXT.test(text)) return;
    this.hiding = false;
    const step = STEP.exec(text);
    if (!step) {
      this.onLine(text);
      return;
    }
    const n = Number(step[1]);
    const shown = this.labStep !== null && n > this.labStep ? n - 1 : n;
    // Every count includes the lab's step: the learner's file has one fewer.
    this.onLine(`Step ${shown}/${Number(step[2]) - 1} :${text.slice(step[0].length)}`);
  }
}
