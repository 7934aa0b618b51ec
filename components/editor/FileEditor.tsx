'use client';
// The exercise's files in an editor that can be used at once: plain text first (rendered by the server),
// then Monaco once its code has loaded, taking over the text, selection and focus in the same task so that
// nothing typed in between is lost. A visible hint says how to leave it from the keyboard.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { EditorFile, EditorMarker, PlainState } from './editor-types';
import { LEAVE_HINT } from './leave-editor';
import { PlainEditor } from './PlainEditor';

const loadMonaco = () => import('./CodeEditor');

const noSubscription = () => () => undefined;

/**
 * False while the page is rendered by the server and hydrated, true after. React's hydration sets the
 * textarea's value back to the server's text, so that text is editable only once React has taken over.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
const CodeEditor = dynamic(loadMonaco, { ssr: false });

/** Edits the files of one exercise, the `active` one shown; Ctrl/Cmd+Enter calls onRun. */
export function FileEditor(props: {
  files: EditorFile[];
  active: string;
  /** False until the saved draft is known: until then the text cannot be edited. */
  loaded: boolean;
  /** Counts the times `files` was replaced by something else than typing (see useDrafts). */
  revision: number;
  onEdit: (name: string, content: string) => void;
  onRun: () => void;
  markers: EditorMarker[];
}) {
  const hintId = useId();
  const hydrated = useHydrated();
  const plainRef = useRef<HTMLTextAreaElement>(null);
  const [monacoShown, setMonacoShown] = useState(false);

  // Monaco's code loads from the start, while the learner can already type in the plain text.
  useEffect(() => void loadMonaco(), []);

  // Read once: a second call (React's development mode mounts effects twice) gets the same state.
  const handedOver = useRef<PlainState | null>(null);
  const takeOver = useCallback((): PlainState | null => {
    const plain = plainRef.current;
    if (!handedOver.current && plain) {
      handedOver.current = {
        value: plain.value,
        selectionStart: plain.selectionStart,
        selectionEnd: plain.selectionEnd,
        focused: document.activeElement === plain,
      };
      plain.readOnly = true;
      plain.hidden = true;
    }
    setMonacoShown(true);
    return handedOver.current;
  }, []);

  const current = props.files.find((file) => file.name === props.active) ?? props.files[0];
  if (!current) return null;
  return (
    <>
      <div className="editor-frame" data-editor={monacoShown ? 'monaco' : 'plain'}>
        {!monacoShown && (
          <PlainEditor
            key={`${current.name}:${props.revision}`}
            ref={plainRef}
            name={current.name}
            content={current.content}
            readOnly={!props.loaded || !hydrated}
            onEdit={props.onEdit}
            describedBy={hintId}
          />
        )}
        {props.loaded && (
          <CodeEditor
            files={props.files}
            revision={props.revision}
            name={current.name}
            onEdit={props.onEdit}
            onRun={props.onRun}
            markers={props.markers}
            describedBy={hintId}
            takeOver={takeOver}
          />
        )}
      </div>
      <p id={hintId} className="editor-hint">
        {LEAVE_HINT}
      </p>
    </>
  );
}
