'use client';
// The instructor's view of what the room predicted: for each exercise's questions, how many learners
// expected each answer against how many of their runs showed it.
import type { Dashboard } from '@/lib/workshops/dashboard';

/** The "Predictions" section of the class dashboard; nothing when no exercise asks any. */
export function RoomPredictions({ dashboard }: { dashboard: Dashboard }) {
  const tallies = dashboard.predictions ?? {};
  const exercises = dashboard.exercises.filter((exercise) => tallies[exercise.id]?.length);
  if (!exercises.length) return null;
  return (
    <section aria-labelledby="predictions-title" className="dash-predictions">
      <h2 id="predictions-title">Predictions</h2>
      {exercises.map((exercise) => (
        <div key={exercise.id} className="dash-failures">
          <h3>{exercise.title}</h3>
          {tallies[exercise.id].map((tally) => (
            <div key={tally.questionId} className="dash-prediction" data-question={tally.questionId}>
              <h4>{tally.question}</h4>
              <p className="dash-prediction-summary">{tally.summary}</p>
              {tally.answered > 0 && (
                <table className="dash-prediction-table">
                  <thead>
                    <tr>
                      <th scope="col">Answer</th>
                      <th scope="col">Expected by</th>
                      <th scope="col">Seen in runs</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tally.choices.map((choice) => (
                      <tr key={choice.id}>
                        <th scope="row">{choice.text}</th>
                        <td>
                          {choice.predicted} of {tally.answered}
                        </td>
                        <td>{choice.observed}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
