// The plain data the editors exchange with the workbench.

/** One file as the editor shows it. */
export interface EditorFile {
  name: string;
  content: string;
}

/** A problem to show in the margin of a line. */
export interface EditorMarker {
  line: number;
  message: string;
}

/** What the plain text editor hands over to Monaco: its text, the selection in it, whether it had focus. */
export interface PlainState {
  value: string;
  selectionStart: number;
  selectionEnd: number;
  focused: boolean;
}
