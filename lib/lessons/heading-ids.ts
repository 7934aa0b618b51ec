// The ids of a lesson's headings, as the lesson page renders them: a graded hint links to a section.
import { scanMarkdown } from './scan-markdown';

/** The id of a heading's text: lower case, letters, digits and hyphens (`PID 1 is special` → `pid-1-is-special`). */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Gives each heading of a page its id; a repeated id gets -1, -2… as the page renders them. */
export function headingIdCounter(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const id = headingId(text);
    const count = seen.get(id) ?? 0;
    seen.set(id, count + 1);
    return count ? `${id}-${count}` : id;
  };
}

/** The ids of the headings of a Markdown text (lines in fenced code are code, not headings). */
export function lessonHeadingIds(markdown: string): string[] {
  return lessonHeadings(markdown).map((heading) => heading.id);
}

/** The headings of a Markdown text with their ids and their text (without code marks). */
export function lessonHeadings(markdown: string): { id: string; text: string }[] {
  const { blocks, lines } = scanMarkdown(markdown);
  const inCode = new Set<number>();
  for (const block of blocks) for (let line = block.line; line <= block.line + block.text.split('\n').length + 1; line++) inCode.add(line);
  const next = headingIdCounter();
  const headings: { id: string; text: string }[] = [];
  lines.forEach((line, index) => {
    const match = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match || inCode.has(index + 1)) return;
    const text = match[2].replace(/`/g, '');
    headings.push({ id: next(text), text });
  });
  return headings;
}
