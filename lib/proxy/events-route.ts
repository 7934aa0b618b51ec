// `docker events`: the engine's event stream with the learner's label filters added to theirs, the
// workstation's events left out and the namespace taken out of each line.
import { withOwnerFilters } from './owner-filters';
import { ownerFilters, WORKSTATION_LABEL } from './ownership';
import { sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { buildQuery, TIME_PARAM } from './query-model';
import { stripScope } from './scope';
import { relayStream } from './stream-relay';

export async function followEvents(ctx: ProxyContext, call: ProxyCall): Promise<void> {
  const built = buildQuery(call.query, { since: TIME_PARAM, until: TIME_PARAM });
  if ('refusal' in built) return sendRefusal(call.res, built.refusal, call.api);
  built.query.set('filters', withOwnerFilters(call.query.get('filters'), ownerFilters(ctx.scope)));
  await relayStream(
    ctx,
    call,
    () =>
      ctx.engine.open(
        { method: 'GET', path: '/events', query: built.query, what: 'opening the event stream' },
        call.version,
      ),
    (line) => {
      if (!line.trim()) return null;
      try {
        const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
        if (event.Actor?.Attributes?.[WORKSTATION_LABEL]) return null;
      } catch {
        return null;
      }
      return stripScope(ctx.scope, line);
    },
  );
}
