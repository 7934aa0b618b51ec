// How a scenario's step reads on the timeline: the docker command it stands for, or what it waits for.
import type { Action } from '../lessons/exercise-schema';
import { processPhrase } from '../observe/program';

/** Describes a step for the timeline. */
export function describeAction(action: Action): string {
  switch (action.do) {
    case 'wait-for-process':
      return `wait up to ${action.timeoutMs} ms for ${action.new ? 'a new ' : 'a '}${processPhrase(action.match)}`;
    case 'signal':
      return `send ${action.signal} to ${action.pid1 ? 'PID 1' : `the ${processPhrase(action.match!)}`}`;
    case 'stop':
      return `docker stop -t ${action.timeoutSec}`;
    case 'wait-for-exit':
      return `wait up to ${action.timeoutMs} ms for the container to exit for good`;
    case 'wait-for-restart':
      return `wait up to ${action.timeoutMs} ms for Docker to restart the container ${action.count} time(s)`;
    case 'wait':
      return `wait ${action.ms} ms`;
    case 'wait-for-output':
      return `wait up to ${action.timeoutMs} ms for a line of output matching /${action.match}/`;
    case 'exec':
      return `docker exec ${action.command.join(' ')}`;
  }
}
