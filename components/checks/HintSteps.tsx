'use client';
// A failed check's graded hint: step 1, the nudge beside what was observed; step 2, the idea with the
// lesson section that teaches it; step 3, the concrete fix. Later steps open on request, one at a time,
// or by themselves after enough failed runs.
import type { CheckResult } from '@/lib/checks/check-result';
import type { Hints } from './use-hints';

export function HintSteps({ check, hints }: { check: CheckResult; hints?: Hints }) {
  const view = hints?.view;
  const steps = view?.checks[check.id];
  const total = steps ? 3 : 1;
  return (
    <div className="ck-steps">
      <p className="ck-hint">
        <strong>Hint{total > 1 ? ' 1 of 3' : ''}:</strong> {check.hint}
      </p>
      {hints && view && steps && (
        <>
          {steps.concept ? (
            <p className="ck-hint ck-concept">
              <strong>Hint 2 of 3, the idea:</strong> {steps.concept.text}{' '}
              <a href={steps.concept.href} target="_blank" rel="noopener">
                Read “{steps.concept.section}” in {steps.concept.lesson}
              </a>
            </p>
          ) : (
            <p className="ck-more">
              <button type="button" onClick={() => void hints.open(check.id, 2)}>
                Show the idea behind it
              </button>{' '}
              <span className="muted">(hint 2 of 3; it opens by itself after {view.unlockAfter[2]} failed runs)</span>
            </p>
          )}
          {steps.fix ? (
            <p className="ck-hint ck-fix">
              <strong>Hint 3 of 3, the fix:</strong> {steps.fix}
            </p>
          ) : steps.concept ? (
            <p className="ck-more">
              <button type="button" onClick={() => void hints.open(check.id, 3)}>
                Show the fix
              </button>{' '}
              <span className="muted">(hint 3 of 3; the solution comes after it)</span>
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
