// A lesson.md ends with an "## Exercises" section: one item per exercise, "- `<id>`: what it asks".
// The lesson page lists the exercises itself, as links with their titles; the section's sentences go
// under those links and the section leaves the lesson's text, so that each exercise shows once.

/** The lesson's text without its exercises section, and that section's sentence per exercise id. */
export interface LessonExerciseNotes {
  body: string;
  notes: Record<string, string>;
}

const HEADING = /^## Exercises[ \t]*$/m;
const ITEM = /^- `([^`]+)`:\s*(.*)$/;

/** Splits the exercises section off `body`; a section in any other shape stays in the text, whole. */
export function splitExerciseNotes(body: string): LessonExerciseNotes {
  const heading = HEADING.exec(body);
  if (!heading) return { body, notes: {} };
  const start = heading.index;
  const after = start + heading[0].length;
  const next = /^## /m.exec(body.slice(after));
  const end = next ? after + next.index : body.length;
  const notes: Record<string, string> = {};
  for (const line of body.slice(after, end).split('\n')) {
    if (!line.trim()) continue;
    const item = ITEM.exec(line);
    if (!item) return { body, notes: {} };
    notes[item[1]] = item[2];
  }
  return { body: body.slice(0, start) + body.slice(end), notes };
}
