'use client';
// After a run: each prediction question with what the learner expected and what the lab saw, linked to
// the moment of the run that shows it (as a check's evidence is). Unanswered questions show what the
// lab saw too.
import { useId } from 'react';
import { predictionVerdict, type PredictionOutcome } from '@/lib/checks/predictions';
import { formatSeconds } from '@/lib/observe/run-view';

/** The predictions of a finished run. */
export function PredictionResults({
  predictions,
  onSelectEvidence,
  momentSeq,
}: {
  predictions: PredictionOutcome[];
  /** Called with the evidence's seq when "Show the moment" is pressed. */
  onSelectEvidence?: (seq: number) => void;
  momentSeq?: number;
}) {
  const titleId = useId();
  if (!predictions.length) return null;
  return (
    <section className="panel predictions" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        Your predictions
      </h2>
      <ul className="pr-list">
        {predictions.map((outcome) => {
          const verdict = predictionVerdict(outcome);
          return (
            <li key={outcome.id} className={`pr-item pr-${verdict}`} data-prediction={outcome.id}>
              <p className="pr-question">{outcome.question}</p>
              <p className="pr-verdict">
                {verdict === 'right' ? (
                  <>
                    <span aria-hidden="true">✓ </span>
                    <strong>As you predicted:</strong> {outcome.observed!.text}
                  </>
                ) : verdict === 'wrong' ? (
                  <>
                    <span aria-hidden="true">✕ </span>
                    <strong>You expected</strong> {outcome.predicted!.text}; <strong>the lab saw</strong>{' '}
                    {outcome.observed!.text}
                  </>
                ) : verdict === 'unobserved' ? (
                  <>
                    <strong>You expected</strong> {outcome.predicted!.text}; the lab saw none of the choices
                  </>
                ) : outcome.observed ? (
                  <>
                    <strong>The lab saw:</strong> {outcome.observed.text}{' '}
                    <span className="muted">(you made no prediction)</span>
                  </>
                ) : (
                  <span className="muted">You made no prediction.</span>
                )}
              </p>
              <p className="pr-saw muted">
                {outcome.saw}
                {outcome.evidence && (
                  <>
                    {' '}
                    · {formatSeconds(outcome.evidence.t)}{' '}
                    {onSelectEvidence && (
                      <button
                        type="button"
                        className="ck-evidence-button"
                        onClick={() => onSelectEvidence(outcome.evidence!.seq)}
                        aria-pressed={outcome.evidence.seq === momentSeq}
                        aria-label={`Show the moment for “${outcome.question}” in the lanes and the tree: ${outcome.evidence.summary}`}
                      >
                        {outcome.evidence.seq === momentSeq ? 'Shown in the tree' : 'Show the moment'}
                      </button>
                    )}
                  </>
                )}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
