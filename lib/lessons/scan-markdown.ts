// The parts of a lesson's Markdown an example is made of: its fenced code blocks, and the example
// comments that stand before them.

/** A fenced code block: the line of its opening fence (from 1) and its text, unindented. */
export interface FencedBlock {
  line: number;
  text: string;
}

/** An example comment: its first and last line (from 1) and the JSON it holds. */
export interface ExampleMark {
  line: number;
  lastLine: number;
  json: string;
}

/** The fenced code blocks and example comments of a Markdown text (comments inside a block are code). */
export function scanMarkdown(text: string): { blocks: FencedBlock[]; marks: ExampleMark[]; lines: string[] } {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  const marks: ExampleMark[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})/.exec(lines[i]);
    if (open) {
      const close = new RegExp(`^ {0,3}${open[2][0]}{${open[2].length},}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !close.test(lines[j]); j++) body.push(lines[j].replace(new RegExp(`^ {0,${open[1].length}}`), ''));
      blocks.push({ line: i + 1, text: body.join('\n') });
      i = j;
      continue;
    }
    if (!/^ {0,3}<!--\s*example:/.test(lines[i])) continue;
    let j = i;
    while (j < lines.length - 1 && !lines[j].includes('-->')) j++;
    const comment = lines.slice(i, j + 1).join('\n');
    marks.push({ line: i + 1, lastLine: j + 1, json: comment.slice(comment.indexOf('example:') + 'example:'.length, comment.lastIndexOf('-->')) });
    i = j;
  }
  return { blocks, marks, lines };
}
