// Leaving the editor from the keyboard. Tab indents inside the editor, so Tab alone cannot leave it (a
// keyboard trap); Escape then Tab (or Shift+Tab) moves focus to the control after (or before) it.

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** Whether `element` takes focus from Tab: enabled, in the tab order, and shown. */
function tabbable(element: HTMLElement): boolean {
  if (element.tabIndex < 0 || element.matches(':disabled')) return false;
  return element.checkVisibility({ visibilityProperty: true });
}

/** Moves focus to the first control after `editor` in the page's order (before it, when `backwards`). */
export function focusOutside(editor: HTMLElement, backwards: boolean): void {
  const outside = [...document.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !editor.contains(element) && tabbable(element),
  );
  const after = (element: HTMLElement) =>
    Boolean(editor.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
  const target = backwards ? outside.filter((element) => !after(element)).at(-1) : outside.find(after);
  target?.focus();
}

/** The hint shown under the editor, so that a keyboard user knows how to leave it. */
export const LEAVE_HINT = 'Esc then Tab leaves the editor · Ctrl+M toggles Tab moving focus · Ctrl+Enter runs';
