'use client';
// The instructor's view of what fails in a workshop: for each exercise, the known mistakes and the checks
// that failed, with how many learners each one caught (and how many it still holds).
import type { Dashboard } from '@/lib/workshops/dashboard';

/** The "What fails" section of the class dashboard, one block per exercise that has a failed check. */
export function FailureClasses({ dashboard }: { dashboard: Dashboard }) {
  const learnerCount = dashboard.learners.length;
  return (
    <section aria-labelledby="failures-title">
      <h2 id="failures-title">What fails</h2>
      {dashboard.exercises.map((exercise) => {
        const classes = dashboard.failureClasses[exercise.id] ?? [];
        if (!classes.length) return null;
        const most = Math.max(1, learnerCount);
        const mistakes = dashboard.mistakeClasses?.[exercise.id] ?? [];
        return (
          <div key={exercise.id} className="dash-failures">
            <h3>{exercise.title}</h3>
            {mistakes.length > 0 && (
              <>
                <h4>Known mistakes</h4>
                <ul>
                  {mistakes.map((entry) => (
                    <li key={entry.mistakeId}>
                      <span className="dash-failure-title">
                        {entry.about} <code className="muted">{entry.mistakeId}</code>
                      </span>
                      <span className="dash-bar" aria-hidden="true">
                        <span style={{ width: `${(entry.learners / most) * 100}%` }} />
                      </span>
                      <span className="dash-failure-count">
                        {entry.learners} learner{entry.learners === 1 ? '' : 's'} ({entry.current} still),{' '}
                        {entry.attempts} failed run{entry.attempts === 1 ? '' : 's'}
                      </span>
                    </li>
                  ))}
                </ul>
                <h4>Checks that failed</h4>
              </>
            )}
            <ul>
              {classes.map((entry) => (
                <li key={entry.checkId}>
                  <span className="dash-failure-title">
                    {entry.title} <code className="muted">{entry.checkId}</code>
                  </span>
                  <span className="dash-bar" aria-hidden="true">
                    <span style={{ width: `${(entry.learners / most) * 100}%` }} />
                  </span>
                  <span className="dash-failure-count">
                    {entry.learners} learner{entry.learners === 1 ? '' : 's'} ({entry.current} still), {entry.attempts}{' '}
                    failed run{entry.attempts === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {dashboard.exercises.every((exercise) => !(dashboard.failureClasses[exercise.id] ?? []).length) && (
        <p className="muted">No failed check yet.</p>
      )}
    </section>
  );
}
