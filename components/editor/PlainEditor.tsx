'use client';
// The file as plain editable text: rendered by the server with the saved draft, editable as soon as the
// page is hydrated, while Monaco loads behind it. Uncontrolled: the textarea holds the text and each
// input is reported, so nothing React renders can overwrite what the learner typed.
import { useRef, type KeyboardEvent, type Ref } from 'react';

/** Tab indents like Monaco's; Escape then Tab leaves; Ctrl+M makes Tab leave until pressed again. */
function useTabKeys() {
  const escaped = useRef(false);
  const tabMovesFocus = useRef(false);
  return (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return;
    const wasEscaped = escaped.current;
    escaped.current = event.key === 'Escape';
    if (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'm') {
      event.preventDefault();
      tabMovesFocus.current = !tabMovesFocus.current;
    } else if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
      if (wasEscaped || tabMovesFocus.current || event.shiftKey) return; // the browser moves focus
      event.preventDefault();
      // execCommand keeps the browser's undo history and fires the input event, as typing would.
      document.execCommand('insertText', false, '  ');
    }
  };
}

/** Plain text editing of one file. */
export function PlainEditor({
  ref,
  ...props
}: {
  ref: Ref<HTMLTextAreaElement>;
  name: string;
  content: string;
  /** Until the saved draft is known, editing the starter text would overwrite it; see also useHydrated. */
  readOnly: boolean;
  onEdit: (name: string, content: string) => void;
  describedBy: string;
}) {
  const onKeyDown = useTabKeys();
  return (
    <textarea
      ref={ref}
      className="editor-plain"
      defaultValue={props.content}
      readOnly={props.readOnly}
      aria-busy={props.readOnly}
      aria-label={`Editor for ${props.name}`}
      aria-describedby={props.describedBy}
      spellCheck={false}
      autoCapitalize="off"
      autoComplete="off"
      autoCorrect="off"
      wrap="off"
      onKeyDown={onKeyDown}
      onInput={(event) => props.onEdit(props.name, event.currentTarget.value)}
    />
  );
}
