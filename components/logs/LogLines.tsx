'use client';
// A scrolling box of log lines that follows new output, unless the reader has scrolled up to read:
// then it stays put and offers a button back to the latest line.
import { useLayoutEffect, useRef, useState } from 'react';
import { formatSeconds } from '@/lib/observe/run-view';

/** One line of output. */
export interface LogLine {
  seq: number;
  t: number;
  stream: 'stdout' | 'stderr' | 'build';
  text: string;
  /** Shown when lines of several scenarios are mixed. */
  scenario?: string;
}

/** Props of LogLines. */
export interface LogLinesProps {
  lines: LogLine[];
  /** Accessible name of the list. */
  label: string;
  /** A line to highlight (evidence selected elsewhere). */
  selectedSeq?: number;
  className?: string;
}

/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_PX = 24;

/** An auto-scrolling, monospace list of log lines with their times. */
export function LogLines({ lines, label, selectedSeq, className }: LogLinesProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);

  // Before paint, so following the output never flickers.
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box && pinned) box.scrollTop = box.scrollHeight;
  }, [lines.length, pinned]);

  // Evidence pointing at a line: bring it into view (this unpins, as a reader scrolling up would).
  useLayoutEffect(() => {
    const box = boxRef.current;
    const line = box?.querySelector<HTMLElement>('.log-selected');
    if (!box || !line) return;
    box.scrollTop = line.offsetTop - box.clientHeight / 2;
  }, [selectedSeq]);

  const onScroll = () => {
    const box = boxRef.current;
    if (box) setPinned(box.scrollHeight - box.scrollTop - box.clientHeight < STICK_PX);
  };

  return (
    <div className="log-wrap">
      {/* Focusable so keyboard users can scroll it. */}
      <div
        className={`log-box ${className ?? ''}`}
        ref={boxRef}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label={label}
      >
        <ol className="log-lines">
          {lines.map((line) => (
            <li
              key={line.seq}
              className={`log-line log-${line.stream}${line.seq === selectedSeq ? ' log-selected' : ''}`}
            >
              <span className="log-time">{formatSeconds(line.t)}</span>
              {line.scenario !== undefined && <span className="log-scenario">{line.scenario}</span>}
              {line.stream === 'stderr' ? (
                <span className="log-tag" title="standard error">
                  err
                </span>
              ) : (
                <span className="log-tag log-tag-out" aria-hidden="true" />
              )}
              <span className="log-text">{line.text}</span>
            </li>
          ))}
        </ol>
      </div>
      {!pinned && (
        <button type="button" className="log-latest" onClick={() => setPinned(true)}>
          ↓ Latest output
        </button>
      )}
    </div>
  );
}
