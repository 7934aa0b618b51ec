// The rule of LABEL: keys starting with "lab." are the lab's own (it finds and reaps its resources by them).
import { labelKeys, WORD_PROBLEM_TEXT, wordValue } from './dockerfile-words';

/** LABEL: key=value pairs whose keys, read as the engine reads them, do not start with "lab.". */
export function checkLabel(args: string, problem: (message: string) => void): void {
  const keys = labelKeys(args);
  if (!keys) {
    problem('LABEL takes key=value pairs, for example LABEL maintainer="you"');
    return;
  }
  // LabelCommand.Expand lexes the keys: "lab.owner", l'ab'.owner and lab.owner are the same key.
  for (const key of keys) {
    const read = wordValue(key);
    if ('problem' in read) {
      problem(`LABEL keys with ${WORD_PROBLEM_TEXT[read.problem]} are not allowed here: write the key out`);
    } else if (/^lab\./i.test(read.value)) {
      problem(
        `LABEL ${read.value} is not allowed: keys starting with "lab." are the lab's own; use another prefix, for example app.`,
      );
    }
  }
}
