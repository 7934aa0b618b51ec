'use client';
// The terminal in the page: xterm.js (loaded in the browser only) on the terminal socket, fitted to
// its box, with a status line. A dropped connection or a reload comes back to the same shell.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
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

const LIGHT_PALETTE = {
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#4d2d00',
  blue: '#0969da',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#218bff',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
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
    // xterm's default palette is made for dark backgrounds; on the light page, the bold green prompt
    // and white or yellow text need darker colours to be read (GitHub's light terminal palette).
    ...(dark ? {} : LIGHT_PALETTE),
  };
}

/** A terminal on the learner's workstation, with the exercise's files in /work. */
export default function Terminal(props: { exerciseId: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const [status, setStatus] = useState<TerminalStatus>({ phase: 'connecting' });

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
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(box);
      fit.fit();
      disposables.push(() => term.dispose());

      const connection = new TerminalConnection(props.exerciseId, {
        write: (data, written) => term.write(data, written),
        notice: (text) => term.write(`\r\n\x1b[2m[lab] ${text}\x1b[0m\r\n`),
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
      </div>
      <p className="muted terminal-hint">
        Your files are copied into <code>/work</code> when the terminal opens and each time your draft is saved. One way
        only: what you change in the terminal does not come back to the editor. Tab completes in the shell; press Esc
        then Tab to leave the terminal.
      </p>
    </div>
  );
}
