'use client';
// "Predict first": before pressing Run, the learner may commit to an answer for each of the exercise's
// prediction questions. Never required; folded away by a click (a <details>, so the keyboard opens it
// too, and the browser remembers it folded); the answers go with the next run and come back beside what
// the lab saw.
import { useId } from 'react';
import { useStoredFlag } from '@/components/ui/use-stored-flag';

/** A question as the page shows it: no hint of how the lab judges it. */
export interface PredictionQuestion {
  id: string;
  question: string;
  choices: { id: string; text: string }[];
}

/** The panel of prediction questions next to the Run button. */
export function PredictPanel({
  questions,
  picks,
  onPick,
  disabled,
}: {
  questions: PredictionQuestion[];
  /** question id -> choice id */
  picks: Record<string, string>;
  onPick: (picks: Record<string, string>) => void;
  disabled: boolean;
}) {
  const base = useId();
  const [folded, toggleFolded] = useStoredFlag('lab:predict-folded');
  if (!questions.length) return null;
  const answered = questions.filter((question) => picks[question.id]).length;
  return (
    <details
      className="predict"
      open={!folded}
      onToggle={(event) => {
        if (event.currentTarget.open === folded) toggleFolded();
      }}
    >
      <summary>
        Predict first{' '}
        <span className="muted">
          (optional · {answered ? `${answered} of ${questions.length} answered` : 'what will the lab see?'})
        </span>
      </summary>
      {questions.map((question, index) => (
        <fieldset key={question.id} className="predict-question" disabled={disabled}>
          <legend>{question.question}</legend>
          {question.choices.map((choice) => (
            <label key={choice.id} className="predict-choice">
              <input
                type="radio"
                name={`${base}-${index}`}
                value={choice.id}
                checked={picks[question.id] === choice.id}
                onChange={() => onPick({ ...picks, [question.id]: choice.id })}
              />{' '}
              {choice.text}
            </label>
          ))}
        </fieldset>
      ))}
      {answered > 0 && (
        <button type="button" className="predict-clear" onClick={() => onPick({})} disabled={disabled}>
          Clear my predictions
        </button>
      )}
    </details>
  );
}
