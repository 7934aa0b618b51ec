'use client';
// Monaco, bundled with the app (no CDN), loaded in the browser only, after the plain text editor is already
// usable (see FileEditor). Monaco's own models hold the text while the learner types: one model per file,
// kept across tab switches. The drafts are told of each change and never written back into Monaco, except
// when they are replaced on purpose (the saved draft read, a reset), which `revision` counts. Writing a
// controlled `value` back into Monaco on each render raced with fast typing: a render carrying the text of
// one keystroke ago replaced the model after the next keystroke, losing and scrambling characters.
import * as monaco from 'monaco-editor';
import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { focusOutside } from './leave-editor';
import type { EditorFile, EditorMarker, PlainState } from './editor-types';

export type { EditorMarker } from './editor-types';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

// The editor's own worker (diffing, links); the highlighting languages used here need no other.
if (typeof window !== 'undefined' && !window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module' }),
  };
}

/** Monaco's language for a file name. */
export function languageOf(name: string): string {
  if (name === 'Dockerfile' || name.endsWith('.dockerfile')) return 'dockerfile';
  if (name.endsWith('.sh')) return 'shell';
  if (name.endsWith('.js') || name.endsWith('.mjs')) return 'javascript';
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.conf') || name.endsWith('.ini')) return 'ini';
  return 'plaintext';
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToColorScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether the system asks for dark colours, followed as it changes. */
function useDarkMode(): boolean {
  return useSyncExternalStore(
    subscribeToColorScheme,
    () => window.matchMedia(DARK_QUERY).matches,
    () => false,
  );
}

const MODIFIERS = new Set([monaco.KeyCode.Shift, monaco.KeyCode.Ctrl, monaco.KeyCode.Alt, monaco.KeyCode.Meta]);

/** Whether a change comes from the drafts rather than the learner (not to be reported back as an edit). */
let applyingDrafts = false;

/** Replaces the text of `model` with an edit that Ctrl+Z can undo. */
function replaceText(model: monaco.editor.ITextModel, text: string) {
  if (model.getValue() === text) return;
  applyingDrafts = true;
  try {
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  } finally {
    applyingDrafts = false;
  }
}

/** Edits the files of one exercise, one at a time; Ctrl/Cmd+Enter calls onRun. */
export default function CodeEditor(props: {
  files: EditorFile[];
  revision: number;
  name: string;
  onEdit: (name: string, content: string) => void;
  onRun: () => void;
  markers: EditorMarker[];
  /** The id of the hint that tells how to leave the editor. */
  describedBy: string;
  /** Hides the plain text editor and gives its text, selection and focus: called once, when Monaco is ready. */
  takeOver: () => PlainState | null;
}) {
  const dark = useDarkMode();
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const modelsRef = useRef(new Map<string, monaco.editor.ITextModel>());
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  // Created once: the files' models, the editor, and the plain text editor's state taken over in the same
  // task, so that no keystroke falls between the two editors; before the browser paints, so that the two
  // are never seen together.
  useLayoutEffect(() => {
    const host = hostRef.current!;
    const { files, name, takeOver } = latest.current;
    const models = modelsRef.current;
    const disposables: monaco.IDisposable[] = [];
    for (const file of files) {
      const model = monaco.editor.createModel(file.content, languageOf(file.name));
      models.set(file.name, model);
      disposables.push(
        model.onDidChangeContent(() => {
          if (!applyingDrafts) latest.current.onEdit(file.name, model.getValue());
        }),
      );
    }
    const editor = monaco.editor.create(host, {
      model: models.get(name) ?? null,
      minimap: { enabled: false },
      fontSize: 14,
      lineHeight: 20,
      padding: { top: 8, bottom: 8 },
      glyphMargin: false,
      folding: false,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      scrollBeyondLastColumn: 1, // no horizontal scroll bar for a line that fits

      scrollbar: { alwaysConsumeMouseWheel: false },
      fixedOverflowWidgets: true,
      automaticLayout: true,
      tabSize: 2,
      // Enter always starts a new line: a suggestion list that opened while typing fast (words of the
      // file) took the Enter and swallowed the line break. Tab still accepts a suggestion.
      wordBasedSuggestions: 'off',
      acceptSuggestionOnEnter: 'off',
      ariaLabel: `Editor for ${name}`,
    });
    editorRef.current = editor;
    host.querySelector('textarea')?.setAttribute('aria-describedby', latest.current.describedBy);

    // The box grows with the text, between the heights the style sheet allows.
    const fitHeight = () => {
      host.style.height = `${editor.getContentHeight()}px`;
    };
    fitHeight();
    disposables.push(editor.onDidContentSizeChange(fitHeight));

    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun());
    // Escape, then Tab leaves the editor (Shift+Tab backwards); any other key in between cancels.
    let escaped = false;
    disposables.push(
      editor.onKeyDown((event) => {
        if (MODIFIERS.has(event.keyCode)) return;
        if (event.keyCode === monaco.KeyCode.Tab && escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
          event.preventDefault();
          event.stopPropagation();
          focusOutside(host, event.shiftKey);
        }
        escaped = event.keyCode === monaco.KeyCode.Escape;
      }),
      editor.onDidBlurEditorText(() => (escaped = false)),
    );

    const plain = takeOver();
    const model = editor.getModel();
    if (plain && model) {
      replaceText(model, plain.value);
      if (plain.value !== latest.current.files.find((file) => file.name === name)?.content) {
        latest.current.onEdit(name, plain.value);
      }
      const start = model.getPositionAt(plain.selectionStart);
      const end = model.getPositionAt(plain.selectionEnd);
      editor.setSelection(new monaco.Selection(start.lineNumber, start.column, end.lineNumber, end.column));
      if (plain.focused) editor.focus();
    }
    return () => {
      for (const disposable of disposables) disposable.dispose();
      editor.dispose();
      for (const model of models.values()) model.dispose();
      models.clear();
      editorRef.current = null;
    };
  }, []);

  // Another tab: the file's own model, with its cursor and scrolling as the learner left them.
  const viewStates = useRef(new Map<string, monaco.editor.ICodeEditorViewState | null>());
  const shown = useRef(props.name);
  useEffect(() => {
    const editor = editorRef.current;
    const model = modelsRef.current.get(props.name);
    if (!editor || !model || shown.current === props.name) return;
    viewStates.current.set(shown.current, editor.saveViewState());
    shown.current = props.name;
    editor.setModel(model);
    editor.updateOptions({ ariaLabel: `Editor for ${props.name}` });
    const state = viewStates.current.get(props.name);
    if (state) editor.restoreViewState(state);
  }, [props.name]);

  // The drafts replaced on purpose (a reset): the only time their text goes into the models.
  const applied = useRef(props.revision);
  useEffect(() => {
    if (applied.current === props.revision) return;
    applied.current = props.revision;
    for (const file of latest.current.files) {
      const model = modelsRef.current.get(file.name);
      if (model) replaceText(model, file.content);
    }
  }, [props.revision]);

  useEffect(() => monaco.editor.setTheme(dark ? 'vs-dark' : 'vs'), [dark]);

  useEffect(() => {
    const model = modelsRef.current.get(props.name);
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'lab',
      props.markers.map((marker) => ({
        severity: monaco.MarkerSeverity.Error,
        message: marker.message,
        startLineNumber: marker.line,
        endLineNumber: marker.line,
        startColumn: 1,
        endColumn: model.getLineMaxColumn(Math.min(marker.line, model.getLineCount())),
      })),
    );
  }, [props.markers, props.name]);

  return <div ref={hostRef} className="editor-monaco" />;
}
