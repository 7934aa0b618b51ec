// The image calls of a learner's docker CLI: images, inspect, history, tag and rmi. Tags and removals
// act on names in the learner's namespace only: `docker rmi` takes away the learner's own tags (the
// image goes when its last tag does, as Docker does), never another learner's name on the same image.
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { lookupRefusal } from './lookup-refusal';
import { findImage, IMAGE_NAME, labImageInfos, ownImages, typedRef, withTag } from './ownership';
import { relay, sendJson, sendRefusal } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { boolParam } from './query-model';
import { stripScope } from './scope';
import { scrubInspect } from './scrub-inspect';

export async function listImages(ctx: ProxyContext, call: ProxyCall): Promise<void> {
  const all = await withEngineDeadline('listing images', () => ctx.docker.listImages());
  const own = await ownImages(ctx.docker, ctx.scope, all);
  const labTags = await ctx.labImages();
  const lab = await labImageInfos(ctx.docker, labTags, all);
  const allowedLab = new Set(labTags.map(withTag));
  const list = [
    ...own.map((info) => ({
      ...info,
      RepoTags: (info.RepoTags ?? []).filter((tag) => tag.startsWith(ctx.scope.imagePrefix)),
      RepoDigests: [],
    })),
    ...lab.map((info) => ({
      ...info,
      RepoTags: (info.RepoTags ?? []).filter((tag) => allowedLab.has(tag)),
      RepoDigests: [],
    })),
  ].map((info) => (info.RepoTags.length ? info : { ...info, RepoTags: ['<none>:<none>'] }));
  sendJson(call.res, 200, JSON.parse(stripScope(ctx.scope, JSON.stringify(list))), call.api);
}

export async function imageAction(ctx: ProxyContext, call: ProxyCall, ref: string, action: string): Promise<void> {
  const removing = call.method === 'DELETE';
  const lookup = await findImage(ctx.docker, ctx.scope, ref, await ctx.labImages(), { untagOnly: removing });
  const refusal = lookupRefusal(lookup);
  if (refusal || !('found' in lookup)) return sendRefusal(call.res, refusal!, call.api);
  const image = lookup.found;
  if (removing) return removeImage(ctx, call, ref, image);
  if (action === 'tag') {
    if (!image.own)
      return sendRefusal(
        call.res,
        { status: 403, message: `${ref} is a lab image: build FROM it rather than tagging it` },
        call.api,
      );
    const repo = typedRef(call.query.get('repo') ?? '');
    const tag = call.query.get('tag') ?? '';
    if (!repo) return sendRefusal(call.res, { status: 400, message: 'docker tag needs a target name' }, call.api);
    if (!IMAGE_NAME.test(`${repo}${tag ? `:${tag}` : ''}`)) {
      return sendRefusal(
        call.res,
        {
          status: 400,
          message: `invalid reference format: ${repo.slice(0, 80)}${tag ? `:${tag.slice(0, 80)}` : ''} (the lab has no registry: name images like my-api:1.4.0)`,
        },
        call.api,
      );
    }
    return ctx.creations.run(async () => {
      const own = await ownImages(ctx.docker, ctx.scope);
      if (own.length >= ctx.quotas.images && !own.some((info) => info.Id === image.id)) {
        return sendRefusal(
          call.res,
          {
            status: 403,
            message: `quota reached: at most ${ctx.quotas.images} images per learner; remove one with docker rmi`,
          },
          call.api,
        );
      }
      const query = new URLSearchParams({ repo: `${ctx.scope.imagePrefix}${repo}` });
      if (tag) query.set('tag', tag);
      const answer = await ctx.engine.call(
        { method: 'POST', path: `/images/${image.id}/tag`, query, what: 'tagging an image' },
        call.version,
      );
      relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
    });
  }
  const path = action === 'history' ? `/images/${image.id}/history` : `/images/${image.engineRef}/json`;
  const answer = await ctx.engine.call({ method: 'GET', path, what: 'inspecting an image' }, call.version);
  relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, action === 'history' ? text : scrubInspect(text)));
}

/**
 * `docker rmi`: each of the learner's names on the image is removed by name (the engine deletes the
 * image with its last name). `--force` is passed on only for an image the learner owns that no one
 * else names; an untagged image of theirs is removed by ID. Parents stay: they are the build cache
 * other learners' builds share (the reaper prunes old entries).
 */
async function removeImage(
  ctx: ProxyContext,
  call: ProxyCall,
  ref: string,
  image: { id: string; own: boolean; ownTags: string[]; otherTags: string[] },
): Promise<void> {
  const typed = typedRef(ref);
  const named = IMAGE_NAME.test(typed) && image.ownTags.includes(`${ctx.scope.imagePrefix}${withTag(typed)}`);
  if (!image.own && !named)
    return sendRefusal(call.res, { status: 403, message: `${ref} is a lab image: it cannot be removed` }, call.api);
  const force = boolParam(call.query.get('force')) && image.own && image.otherTags.length === 0;
  const names = named ? [`${ctx.scope.imagePrefix}${withTag(typed)}`] : image.ownTags;
  const targets = names.length ? names : image.otherTags.length ? [] : [image.id];
  if (!targets.length)
    return sendRefusal(
      call.res,
      { status: 409, message: `conflict: ${ref} is used by other images and cannot be removed` },
      call.api,
    );
  const removed: unknown[] = [];
  for (const target of targets) {
    const query = new URLSearchParams({ noprune: '1' });
    if (force) query.set('force', '1');
    const answer = await ctx.engine.call(
      { method: 'DELETE', path: `/images/${target}`, query, what: 'removing an image' },
      call.version,
    );
    if (answer.status !== 200) return relay(call.res, answer, call.api, (text) => stripScope(ctx.scope, text));
    removed.push(...(JSON.parse(answer.body.toString('utf8')) as unknown[]));
  }
  sendJson(call.res, 200, JSON.parse(stripScope(ctx.scope, JSON.stringify(removed))), call.api);
}
