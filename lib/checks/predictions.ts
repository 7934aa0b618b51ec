// The learner's predictions set against what the lab observed: for each question of the exercise, the
// true answer is found in the run's timeline (PID 1 at a step, whether the container still ran, how it
// exited, how often Docker restarted it), never in the learner's files. Pure.
import type { PredictionPicks, PredictionSpec, PredictionWhen } from '../lessons/prediction-schema';
import { describeExit } from '../observe/exit-status';
import { pid1 } from '../observe/process-tree';
import { matchesProcess } from '../observe/program';
import type { ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import type { IncidentTruth } from '../incidents/incident-truth';
import { pid1Kind } from './diagnosis-mistakes';
import type { Evidence } from './check-result';
import { evidenceOf, notRunning, NotReached, ScenarioRecord } from './scenario-record';

/** A choice as the result shows it. */
export interface PredictionChoiceRef {
  id: string;
  text: string;
}

/** One question after the run: what the learner predicted (if they did) and what the lab saw. */
export interface PredictionOutcome {
  id: string;
  question: string;
  predicted?: PredictionChoiceRef;
  /** The choice that matches what the lab saw; absent when the run never got that far. */
  observed?: PredictionChoiceRef;
  /** What the lab saw, in words. */
  saw: string;
  /** The moment of the run that shows it. */
  evidence?: Evidence;
}

/** What was observed for one question: the fact to match choices against, in words, with its event. */
interface Observation {
  fits?: (when: PredictionWhen) => boolean;
  saw: string;
  event?: TimelineEvent;
}

function observe(spec: PredictionSpec, record: ScenarioRecord, truth?: IncidentTruth): Observation {
  const observed = spec.observed;
  switch (observed.kind) {
    case 'incident-pid1': {
      if (!truth) throw new NotReached('there was no incident to observe');
      const kind = pid1Kind(truth.pid1Command);
      return { fits: (when) => when.pid1Kind === kind, saw: `PID 1 of the incident was "${truth.pid1Command}"` };
    }
    case 'pid1': {
      const end = record.stepEnd(observed.at);
      const state = record.stateAt(end.seq);
      const p1: ProcessInfo | undefined = pid1(state.processes);
      if (!p1) return { saw: `no PID 1: ${notRunning(state)}`, event: state.lastDie ?? end };
      return {
        fits: (when) => when.pid1 !== undefined && matchesProcess(p1, when.pid1),
        saw: `PID 1 was "${p1.command}"`,
        event: state.snapshot,
      };
    }
    case 'running': {
      const end = record.stepEnd(observed.at);
      const state = record.stateAt(end.seq);
      return {
        fits: (when) => when.running === state.running,
        saw: state.running ? 'the container was still running' : notRunning(state),
        event: state.running ? (state.snapshot ?? end) : (state.lastDie ?? end),
      };
    }
    case 'exit': {
      const from = observed.after ? record.stepStart(observed.after).seq : -1;
      const end = record.of('scenario-end')[0];
      const die = record.of('container-die').find((event) => event.seq > from && (!end || event.seq < end.seq));
      if (!die) {
        if (!end) throw new NotReached('the scenario ended before the lab got that far');
        return {
          fits: (when) => when.stillRunning === true,
          saw: 'the container did not exit on its own before the scenario ended',
          event: end,
        };
      }
      return {
        fits: (when) => when.codes?.includes(die.exitCode) ?? false,
        saw: `the container exited with ${describeExit(die.exitCode, die.oomKilled)}`,
        event: die,
      };
    }
    case 'restarts': {
      if (!record.of('scenario-end').length) throw new NotReached('the scenario ended before the lab got that far');
      const restarts = record.of('container-restart');
      const count = restarts.length;
      return {
        fits: (when) =>
          (when.min !== undefined || when.max !== undefined) &&
          count >= (when.min ?? 0) &&
          count <= (when.max ?? Infinity),
        saw: `Docker restarted the container ${count} time(s)`,
        event: restarts.at(-1) ?? record.of('container-die').at(-1),
      };
    }
  }
}

const ref = (choice: { id: string; text: string } | undefined) => choice && { id: choice.id, text: choice.text };

/** Each question of the exercise with the learner's pick (if any) and the answer the run showed. */
export function judgePredictions(
  specs: PredictionSpec[],
  picks: PredictionPicks,
  events: TimelineEvent[],
  /** For a diagnosis: the truth the lab recorded of the learner's incident. */
  truth?: IncidentTruth,
): PredictionOutcome[] {
  return specs.map((spec) => {
    const predicted = ref(spec.choices.find((choice) => choice.id === picks[spec.id]));
    const scenario = 'scenario' in spec.observed ? spec.observed.scenario : undefined;
    const scenarioEvents = events.filter((event) => scenario !== undefined && event.scenario === scenario);
    const base = { id: spec.id, question: spec.question, ...(predicted ? { predicted } : {}) };
    if (scenario !== undefined && !scenarioEvents.some((event) => event.type === 'scenario-start')) {
      const built = events.find((event) => event.type === 'build-end');
      const why =
        built && built.type === 'build-end' && built.ok ? 'the run stopped before it' : 'the image did not build';
      return { ...base, saw: `not observed: ${why}` };
    }
    const error = scenarioEvents.find((event) => event.type === 'platform-error');
    if (error && error.type === 'platform-error') return { ...base, saw: `not observed: ${error.message}` };
    // The run as a whole was cut short (its engine lost): what it saw so far answers nothing.
    if (events.some((event) => event.type === 'platform-error' && event.scenario === undefined))
      return { ...base, saw: 'not observed: the run stopped before the lab could see it' };
    let observation: Observation;
    try {
      observation = observe(spec, new ScenarioRecord(scenarioEvents), truth);
    } catch (failure) {
      if (!(failure instanceof NotReached)) throw failure;
      return { ...base, saw: `not observed: ${failure.message}` };
    }
    const { fits } = observation;
    const observed = fits && ref(spec.choices.find((choice) => (choice.when ? fits(choice.when) : true)));
    return {
      ...base,
      ...(observed ? { observed } : {}),
      saw: observation.saw,
      ...(observation.event ? { evidence: evidenceOf(observation.event) } : {}),
    };
  });
}

/** Whether a prediction came true, for the words of the result and the dashboard. */
export function predictionVerdict(outcome: PredictionOutcome): 'right' | 'wrong' | 'unanswered' | 'unobserved' {
  if (!outcome.predicted) return 'unanswered';
  if (!outcome.observed) return 'unobserved';
  return outcome.predicted.id === outcome.observed.id ? 'right' : 'wrong';
}
