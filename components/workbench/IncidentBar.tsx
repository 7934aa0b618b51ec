'use client';
// The incident of a diagnosis exercise: where it stands, and "New incident" to stage another.
import type { IncidentState } from './use-incident';

/** Props of IncidentBar. */
export interface IncidentBarProps {
  incident: IncidentState;
  /** True while an answer is being checked. */
  busy: boolean;
}

export function IncidentBar({ incident, busy }: IncidentBarProps) {
  const { view, phase } = incident;
  return (
    <div className="toolbar incident-bar">
      <button onClick={() => void incident.startNew()} disabled={busy || phase === 'starting'}>
        New incident
      </button>
      <span className="muted incident-status" role="status" aria-live="polite">
        {phase === 'starting' && 'Staging an incident: the container is starting…'}
        {phase === 'ready' &&
          view &&
          `${view.container} (${view.image}) has stopped. Investigate it in the terminal, then write answer.json.`}
        {phase === 'failed' && <span className="error-text">{incident.error}</span>}
      </span>
    </div>
  );
}
