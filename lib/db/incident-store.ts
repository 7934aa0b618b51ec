// The incidents staged for learners and the truth observed of each: what a diagnosis attempt is
// checked against. An incident is recorded as starting before it is staged, and its truth (or the
// platform fault that stopped it) is committed before the learner hears that it is ready.
import { CAUSES } from '../incidents/causes';
import type { IncidentTruth } from '../incidents/incident-truth';
import { db } from './client';

/** Where an incident stands. */
export type IncidentStatus = 'starting' | 'ready' | 'error';

/** A recorded incident; `truth` once it is ready. */
export interface IncidentRecord {
  id: string;
  learnerId: string;
  exerciseId: string;
  seed: number;
  status: IncidentStatus;
  containerId?: string;
  truth?: IncidentTruth;
  error?: string;
  createdAt: Date;
  observedAt?: Date;
}

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof db>['incident']['findUnique']>>>;

function toRecord(row: Row): IncidentRecord {
  const ready = row.status === 'ready' && row.pid1Command !== null && row.exitCode !== null && row.oomKilled !== null;
  const cause = CAUSES.find((candidate) => candidate === row.cause);
  return {
    id: row.id,
    learnerId: row.learnerId,
    exerciseId: row.exerciseId,
    seed: row.seed,
    status: row.status as IncidentStatus,
    containerId: row.containerId ?? undefined,
    truth:
      ready && cause
        ? {
            seed: row.seed,
            cause,
            pid1Command: row.pid1Command!,
            startedCommand: JSON.parse(row.startedCommand ?? '[]') as string[],
            otherCommands: JSON.parse(row.otherCommands ?? '[]') as string[],
            exitCode: row.exitCode!,
            oomKilled: row.oomKilled!,
          }
        : undefined,
    error: row.error ?? undefined,
    createdAt: row.createdAt,
    observedAt: row.observedAt ?? undefined,
  };
}

/** Records an incident as starting. */
export async function recordIncidentStart(incident: {
  id: string;
  learnerId: string;
  exerciseId: string;
  seed: number;
}): Promise<void> {
  await db().learner.upsert({ where: { id: incident.learnerId }, create: { id: incident.learnerId }, update: {} });
  await db().incident.create({ data: { ...incident, status: 'starting' } });
}

/** Records the truth observed of a staged incident: it is ready to be diagnosed. */
export async function recordIncidentTruth(id: string, containerId: string, truth: IncidentTruth): Promise<void> {
  await db().incident.update({
    where: { id },
    data: {
      status: 'ready',
      containerId,
      cause: truth.cause,
      pid1Command: truth.pid1Command,
      startedCommand: JSON.stringify(truth.startedCommand),
      otherCommands: JSON.stringify(truth.otherCommands),
      exitCode: truth.exitCode,
      oomKilled: truth.oomKilled,
      observedAt: new Date(),
    },
  });
}

/** Records that staging an incident failed on a platform fault. */
export async function recordIncidentError(id: string, error: string): Promise<void> {
  await db().incident.update({
    where: { id },
    data: { status: 'error', error: error.slice(0, 2000), observedAt: new Date() },
  });
}

/** The learner's latest incident of an exercise, if any. */
export async function latestIncident(learnerId: string, exerciseId: string): Promise<IncidentRecord | null> {
  const row = await db().incident.findFirst({ where: { learnerId, exerciseId }, orderBy: { createdAt: 'desc' } });
  return row ? toRecord(row) : null;
}

/** An incident by id. */
export async function incidentById(id: string): Promise<IncidentRecord | null> {
  const row = await db().incident.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}
