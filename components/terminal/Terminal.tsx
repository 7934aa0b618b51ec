'use client';
// The terminal in the page: xterm.js (loaded in the browser only) on the terminal socket, fitted to
// its box, with a status line. A dropped connection or a reload comes back to the same shell.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { Terminal as XTermType } from '@xterm/xterm';
import { useStoredFlag } from '@/components/ui/use-stored-flag';
import { TerminalConnection, type TerminalStatus } from './terminal-connection';

function statusText(status: TerminalStatus): string {
  switch (status.phase) {
    case 'connecting':
      return 'Starting your workstation…';
    case 'ready':
      return 'Connected: bash in your workstation, in /work';
    case 'reconnecting':
      return status.inMs ? `Connection lost: reconnecting in ${(status.inMs / 1000).toFixed(1)} s…` : 'Reconnecting…';
    case 'ended':
      if (status.message) return `Terminal closed: ${status.message}`;
      return `Shell ended${status.code === null ? '' : ` with exit code ${status.code}`}`;
  }
}

// xterm's default palette misses 4.5:1 on the terminal's background (--card) for several colours, among
// them the blue of bash's working-directory prompt (a bold colour is drawn in its bright variant). These
// are GitHub's terminal palettes, the colours that fell short darkened (light) or lightened (dark).
const LIGHT_PALETTE = {
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#4d2d00',
  blue: '#0969da',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#57606a',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#0550ae',
  brightMagenta: '#6639ba',
  brightCyan: '#136061',
  brightWhite: '#424a53',
};

const DARK_PALETTE = {
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#8b949e',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

/** xterm's colours from the page's own (light or dark). */
function themeFromPage() {
  const style = getComputedStyle(document.documentElement);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  return {
    background: color('--card', dark ? '#161b22' : '#f6f8fa'),
    foreground: color('--fg', dark ? '#e6edf3' : '#1b1f24'),
    cursor: color('--fg', dark ? '#e6edf3' : '#1b1f24'),
    cursorAccent: color('--card', dark ? '#161b22' : '#f6f8fa'),
    selectionBackground: dark ? 'rgba(56, 139, 253, 0.4)' : 'rgba(9, 105, 218, 0.25)',
    ...(dark ? DARK_PALETTE : LIGHT_PALETTE),
  };
}

/** A terminal on the learner's workstation, with the exercise's files in /work. */
export default function Terminal(props: { exerciseId: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const [status, setStatus] = useState<TerminalStatus>({ phase: 'connecting' });
  // xterm's screen reader mode keeps an accessible copy of the screen and announces new output; it
  // costs rendering time, so it is the learner's choice, remembered in this browser.
  const [screenReader, toggleScreenReader] = useStoredFlag('lab:terminal-screen-reader');
  const termRef = useRef<XTermType | null>(null);
  const screenReaderRef = useRef(screenReader);
  useEffect(() => {
    screenReaderRef.current = screenReader;
    if (termRef.current) termRef.current.options.screenReaderMode = screenReader;
  }, [screenReader]);

  useEffect(() => {
    let disposed = false;
    const disposables: (() => void)[] = [];
    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }] = await Promise.all([
        import('@xterm/xterm'),
        import('@xterm/addon-fit'),
      ]);
      const box = boxRef.current;
      if (disposed || !box) return;
      const term = new XTerm({
        cursorBlink: true,
        fontSize: 13,
        fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
        scrollback: 5_000,
        theme: themeFromPage(),
        screenReaderMode: screenReaderRef.current,
      });
      termRef.current = term;
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(box);
      fit.fit();
      disposables.push(() => {
        termRef.current = null;
        term.dispose();
      });

      const connection = new TerminalConnection(props.exerciseId, {
        write: (data, written) => term.write(data, written),
        // Bright black rather than dim (faint): the palette gives it 4.5:1, half-transparent text has not.
        notice: (text) => term.write(`\r\n\x1b[90m[lab] ${text}\x1b[0m\r\n`),
        reset: () => term.reset(),
        size: () => ({ cols: term.cols, rows: term.rows }),
        status: setStatus,
      });
      connectionRef.current = connection;
      disposables.push(() => connection.dispose());
      const typed = term.onData((text) => connection.input(text));
      const resized = term.onResize(({ cols, rows }) => connection.resize(cols, rows));
      disposables.push(
        () => typed.dispose(),
        () => resized.dispose(),
      );

      const observer = new ResizeObserver(() => fit.fit());
      observer.observe(box);
      disposables.push(() => observer.disconnect());
      const scheme = window.matchMedia('(prefers-color-scheme: dark)');
      const onScheme = () => (term.options.theme = themeFromPage());
      scheme.addEventListener('change', onScheme);
      disposables.push(() => scheme.removeEventListener('change', onScheme));

      // Tab belongs to the shell (completion); Esc then Tab leaves the terminal, as in code editors.
      let escapeAt = 0;
      term.attachCustomKeyEventHandler((event) => {
        if (event.type !== 'keydown') return true;
        if (event.key === 'Escape') {
          escapeAt = Date.now();
          return true;
        }
        const leaving = event.key === 'Tab' && Date.now() - escapeAt < 1_500;
        escapeAt = 0;
        return !leaving;
      });

      term.focus();
      void connection.connect();
    })();
    return () => {
      disposed = true;
      connectionRef.current = null;
      for (const dispose of disposables.reverse()) dispose();
    };
  }, [props.exerciseId]);

  const newShell = () => {
    const connection = connectionRef.current;
    if (!connection) return;
    connection.forgetSession();
    void connection.connect();
  };

  return (
    <div className="terminal-panel">
      <div className="terminal-frame">
        <div className="terminal-box" ref={boxRef} />
      </div>
      <div className="terminal-status">
        <span role="status" aria-live="polite" className={`terminal-state terminal-${status.phase}`}>
          {statusText(status)}
        </span>
        {status.phase === 'ended' && (
          <button type="button" onClick={newShell}>
            New shell
          </button>
        )}
        <label className="terminal-option">
          <input type="checkbox" checked={screenReader} onChange={toggleScreenReader} /> Screen reader mode
        </label>
      </div>
      <p className="muted terminal-hint">
        Your files are copied into <code>/work</code> when the terminal opens and each time your draft is saved. One way
        only: what you change in the terminal does not come back to the editor. Tab completes in the shell; press Esc
        then Tab to leave the terminal.
      </p>
    </div>
  );
}
