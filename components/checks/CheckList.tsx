'use client';
// The verdict: an overall banner, then each check in the exercise's order. A check that did not pass
// says what was expected, what was observed, a hint, and links to the moment in the timeline that shows it.
import Link from 'next/link';
import { useId } from 'react';
import { overallStatus, type CheckResult, type CheckStatus } from '@/lib/checks/check-result';
import type { RecognisedMistake } from '@/lib/checks/mistakes';
import { formatSeconds } from '@/lib/observe/run-view';
import { HintSteps } from './HintSteps';
import type { Hints } from './use-hints';

/** Props of CheckList. */
export interface CheckListProps {
  checks: CheckResult[];
  /** The run's overall status; derived from the checks when absent. */
  status?: CheckStatus;
  /** Called with the evidence's seq when "Show evidence" is pressed. */
  onSelectEvidence?: (seq: number) => void;
  /** The event the panels show now: the check judged at that moment is marked. */
  momentSeq?: number;
  /** The exercise's known mistakes this result looks like, the most specific first. */
  mistakes?: RecognisedMistake[];
  /** Where a learner who passed goes next (the next exercise, or the course overview at the end). */
  next?: { href: string; title: string };
  /** The learner's graded hints: a failed check offers its later steps (absent: the first step only). */
  hints?: Hints;
  /** Why the run as a whole could not be judged (see notJudgedBecause): the banner of an `error` run says it. */
  problem?: string;
}

const ICONS: Record<CheckStatus, string> = { pass: '✓', fail: '✕', error: '!' };
const WORDS: Record<CheckStatus, string> = { pass: 'Pass', fail: 'Fail', error: 'Not judged' };

function bannerText(status: CheckStatus, checks: CheckResult[], problem: string | undefined): string {
  if (status === 'error' && problem) return problem;
  const required = checks.filter((check) => !check.bonus);
  const passed = required.filter((check) => check.status === 'pass').length;
  const bonus = checks.length - required.length;
  const bonusPassed = checks.filter((check) => check.bonus && check.status === 'pass').length;
  const counts = `${passed} of ${required.length} checks passed${bonus ? `, ${bonusPassed} of ${bonus} going further` : ''}`;
  if (status === 'error')
    return `The lab could not judge this run (${counts}). This is not about your files: try again.`;
  return status === 'pass' ? `All required checks passed (${counts}).` : `Not yet (${counts}).`;
}

/** The check results of a run, with expected/observed, hints and links to evidence. */
export function CheckList({
  checks,
  status,
  onSelectEvidence,
  mistakes,
  next,
  momentSeq,
  hints,
  problem,
}: CheckListProps) {
  const titleId = useId();
  const overall = status ?? (checks.length ? overallStatus(checks) : undefined);
  return (
    <section className="panel checks" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        Checks
      </h2>
      {/* A live region: the verdict arrives at the end of a run the learner may be watching. */}
      <div role="status" aria-live="polite">
        {overall ? (
          <p className={`ck-banner ck-${overall}`}>
            <span className="ck-icon" aria-hidden="true">
              {ICONS[overall]}
            </span>{' '}
            <strong>{WORDS[overall]}</strong> — {bannerText(overall, checks, problem)}
            {overall === 'pass' && next && (
              <>
                {' '}
                <Link className="ck-next" href={next.href}>
                  Next: {next.title} →
                </Link>
              </>
            )}
          </p>
        ) : (
          <p className="muted">The checks run when the run ends.</p>
        )}
        {overall === 'fail' && mistakes?.length ? (
          <p className="ck-mistake">
            <strong>This looks like a known mistake:</strong>{' '}
            {mistakes
              .filter((mistake) => mistake.checks === mistakes[0].checks)
              .map((mistake) => mistake.about)
              .join(' Or: ')}
          </p>
        ) : null}
      </div>
      {hints?.error && (
        <p className="error-text" role="alert">
          {hints.error}
        </p>
      )}
      <ol className="ck-list">
        {checks.map((check) => (
          <li
            key={check.id}
            className={`ck-item ck-${check.status}${check.evidence && check.evidence.seq === momentSeq ? ' ck-at-moment' : ''}`}
          >
            <p className="ck-head">
              <span className="ck-status">
                <span className="ck-icon" aria-hidden="true">
                  {ICONS[check.status]}
                </span>{' '}
                {WORDS[check.status]}
              </span>{' '}
              <span className="ck-title">{check.title}</span>
              {check.bonus && <span className="ck-bonus"> (going further)</span>}
              {check.scenario && <span className="muted ck-scenario"> · {check.scenario}</span>}
            </p>
            {/* A run cut short as a whole: the banner says why, once; each check only that it was not judged. */}
            {check.status !== 'pass' && !(problem && check.status === 'error') && (
              <>
                <dl className="ck-facts">
                  <dt>Expected</dt>
                  <dd>{check.expected}</dd>
                  <dt>Observed</dt>
                  <dd>{check.observed}</dd>
                </dl>
                {check.hint && <HintSteps check={check} hints={check.status === 'fail' ? hints : undefined} />}
                {check.evidence?.buildLog && check.evidence.buildLog.length > 0 && (
                  <pre className="ck-buildlog" aria-label="Build log (last lines)" tabIndex={0}>
                    {check.evidence.buildLog.join('\n')}
                  </pre>
                )}
              </>
            )}
            {check.evidence && (
              <p className="ck-evidence">
                {onSelectEvidence && (
                  <button
                    type="button"
                    className="ck-evidence-button"
                    onClick={() => onSelectEvidence(check.evidence!.seq)}
                    aria-pressed={check.evidence.seq === momentSeq}
                    aria-label={`Show evidence for “${check.title}” in the lanes and the tree: ${check.evidence.summary}`}
                  >
                    {check.evidence.seq === momentSeq ? 'Shown in the tree' : 'Show evidence'}
                  </button>
                )}{' '}
                <span className="muted">
                  {formatSeconds(check.evidence.t)} · {check.evidence.summary}
                </span>
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
