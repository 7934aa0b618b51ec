'use client';
// Monaco, bundled with the app (no CDN), for one file at a time. Loaded only in the browser.
import Editor, { loader, type OnMount } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import { useEffect, useRef, useSyncExternalStore } from 'react';

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
loader.config({ monaco });

/** A problem to show in the margin of a line. */
export interface EditorMarker {
  line: number;
  message: string;
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

/** Whether the system asks for dark colours, followed as it changes (light on the server). */
function useDarkMode(): boolean {
  return useSyncExternalStore(
    subscribeToColorScheme,
    () => window.matchMedia(DARK_QUERY).matches,
    () => false,
  );
}

/** Edits one file; Ctrl/Cmd+Enter calls onRun. */
export default function CodeEditor(props: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  markers: EditorMarker[];
}) {
  const dark = useDarkMode();
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onRunRef = useRef(props.onRun);
  useEffect(() => {
    onRunRef.current = props.onRun;
  });

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRunRef.current());
  };

  useEffect(() => {
    const model = editorRef.current?.getModel();
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

  return (
    <Editor
      height="100%"
      path={props.name}
      language={languageOf(props.name)}
      value={props.value}
      theme={dark ? 'vs-dark' : 'vs'}
      onChange={(value) => props.onChange(value ?? '')}
      onMount={onMount}
      options={{
        minimap: { enabled: false },
        fontSize: 14,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: 2,
        ariaLabel: `Editor for ${props.name}`,
      }}
    />
  );
}
