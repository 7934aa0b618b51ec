// A terminal `docker build`: the learner's context read with bounds and packed anew (build-context.ts),
// its Dockerfile checked as the engine will read it, every image it names resolved to one the learner
// owns or a lab image, then built through the same pipeline as a Run (deadline, process, memory, disk
// and file-size limits) in the learner's turn for a slot. The quota is checked again once the image exists.
import { log } from '../log';
import type { BuildMessage } from '../sandbox/engine';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { checkDockerfile } from '../sandbox/dockerfile-rules';
import { buildImage } from '../sandbox/image-builder';
import { BUILD_LIMITS } from '../sandbox/limits';
import { admitBuild, buildErrorLine } from './build-admission';
import { canonicalContext } from './build-context';
import { buildModel } from './build-policy';
import { lookupRefusal } from './lookup-refusal';
import { findImage, labImageInfos, ownImageBytes, ownImages } from './ownership';
import { sendRefusal, withoutHostPaths } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import type { Refusal } from './refusal';
import { ORIGIN_LABEL, TERMINAL_ORIGIN, stripScope, terminalLabels } from './scope';
import { checkTerminalDockerfile } from './terminal-dockerfile';

/** The most build output sent to the CLI (beyond the steps, the result and errors). */
const BUILD_OUTPUT_BYTES = 1024 * 1024;

/** Bounds on what a build context may unpack to. */
const CONTEXT_BOUNDS = { maxEntries: 10_000, maxNameBytes: 255, maxDepth: 32 };

/**
 * Build output without the lab's own last step (the LABEL that marks the image as the learner's), so the
 * steps the learner sees are the steps of their Dockerfile.
 */
export function labelStepHider(): (message: BuildMessage) => BuildMessage | null {
  let hiding = false;
  let hidden = 0;
  return (message) => {
    const text = message.stream ?? '';
    const step = /^Step (\d+)\/(\d+) : (.*)/s.exec(text);
    if (step) {
      hiding = /^LABEL lab\.run=/.test(step[3]);
      if (hiding) {
        hidden += 1;
        return null;
      }
      return { ...message, stream: `Step ${Number(step[1]) - hidden}/${Number(step[2]) - 1} : ${step[3]}` };
    }
    if (hiding && message.stream !== undefined && !/^Successfully/.test(text)) return null;
    return message;
  };
}

export async function build(ctx: ProxyContext, call: ProxyCall, builds: { active: number }): Promise<void> {
  const { res } = call;
  const model = buildModel(call.query);
  if ('refusal' in model) return sendRefusal(res, model.refusal, call.api);
  if (builds.active >= ctx.quotas.concurrentBuilds) {
    return sendRefusal(
      res,
      {
        status: 429,
        message: `quota reached: ${ctx.quotas.concurrentBuilds} build at a time per learner; wait for the other one to finish`,
      },
      call.api,
    );
  }
  builds.active += 1;
  let releaseSlot: (() => void) | null = null;
  try {
    const labs = await ctx.labImages();
    const all = await withEngineDeadline('listing images', () => ctx.docker.listImages());
    const own = await ownImages(ctx.docker, ctx.scope, all);
    const named = new Set(own.flatMap((info) => info.RepoTags ?? []));
    const newNames = model.tags.filter(
      (tag) => !named.has(`${ctx.scope.imagePrefix}${tag.includes(':') ? tag : `${tag}:latest`}`),
    );
    const refusal = await quotaRefusal(ctx, newNames.length > 0, own.length, () =>
      ownImageBytes(ctx.docker, own, labImageInfosSync(all, labs)),
    );
    if (refusal) return sendRefusal(res, refusal, call.api);
    const context = await canonicalContext(call.req, model.dockerfile, {
      maxCompressedBytes: ctx.quotas.buildContextBytes,
      maxBytes: ctx.quotas.buildContextBytes,
      ...CONTEXT_BOUNDS,
    });
    if ('refusal' in context) return sendRefusal(res, context.refusal, call.api);
    const ownTags = own.flatMap((info) =>
      (info.RepoTags ?? [])
        .filter((tag) => tag.startsWith(ctx.scope.imagePrefix))
        .map((tag) => tag.slice(ctx.scope.imagePrefix.length)),
    );
    const ownNames = ownTags.flatMap((tag) =>
      tag.endsWith(':latest') ? [tag, tag.slice(0, -':latest'.length)] : [tag],
    );
    const checked = checkTerminalDockerfile(context.dockerfile, context.files, labs, ownNames, ctx.scope);
    if ('refusal' in checked) return sendRefusal(res, checked.refusal, call.api);
    const bases = await checkBases(ctx, checked.ownImages, labs);
    if (bases) return sendRefusal(res, bases, call.api);
    releaseSlot = await admitBuild(ctx.slots, ctx.scope.owner, res);
    if (!releaseSlot) return;
    if (!res.headersSent)
      res.writeHead(200, { 'content-type': 'application/json', 'api-version': call.api.apiVersion });
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const hide = labelStepHider();
    let written = 0;
    let truncated = false;
    const terminal = terminalLabels(ctx.scope);
    const result = await buildImage(
      ctx.docker,
      {
        labels: {
          runId: ctx.scope.runId,
          owner: ctx.scope.owner,
          expiresAt: Number(terminal['lab.expires']),
          extra: { [ORIGIN_LABEL]: TERMINAL_ORIGIN },
        },
        buildId: `${ctx.scope.runId}-${Date.now().toString(36)}`,
        tag: model.tags[0] ? `${ctx.scope.imagePrefix}${model.tags[0]}` : '',
        moreTags: model.tags.slice(1).map((tag) => `${ctx.scope.imagePrefix}${tag}`),
        files: [],
        context: {
          files: context.files.map((file) =>
            file.name === context.dockerfile.name ? { ...file, content: Buffer.from(checked.text, 'utf8') } : file,
          ),
          directories: context.directories,
          dockerfile: context.dockerfile.name,
        },
        options: model.options,
        onOutput: () => undefined,
        onMessage: (message) => {
          const shown = hide(message);
          if (!shown || res.writableEnded) return;
          const out = {
            ...shown,
            ...(shown.stream !== undefined ? { stream: stripScope(ctx.scope, shown.stream) } : {}),
          };
          if (out.error) out.error = withoutHostPaths(stripScope(ctx.scope, out.error));
          if (out.errorDetail?.message)
            out.errorDetail = { message: withoutHostPaths(stripScope(ctx.scope, out.errorDetail.message)) };
          const line = `${JSON.stringify(out)}\n`;
          // A RUN that prints without end, to a CLI that may not read: the steps, the result and the
          // errors always go through; other output only within the budget and while the CLI keeps up.
          const essential = Boolean(out.error || out.aux) || /^(Step \d|Successfully| ---> )/.test(out.stream ?? '');
          if (!essential && (written > BUILD_OUTPUT_BYTES || res.writableLength > BUILD_OUTPUT_BYTES)) {
            if (!truncated)
              res.write(
                `${JSON.stringify({ stream: `(the build printed more than ${BUILD_OUTPUT_BYTES / 1048576} MiB, or the client stopped reading: the rest of its output is not shown)\n` })}\n`,
              );
            truncated = true;
            return;
          }
          written += line.length;
          res.write(line);
        },
        signal: gone.signal,
      },
      BUILD_LIMITS.deadlineMs,
    );
    if (!result.ok) {
      // A timeout or a stop is not an {error} line of the engine's: say it the engine's way.
      if ((result.timedOut || result.stopped) && !res.writableEnded)
        res.write(buildErrorLine(result.error ?? 'the build was stopped'));
      return void res.end();
    }
    const over = await quotaAfterBuild(ctx, result.imageId!, labs);
    if (over) res.write(buildErrorLine(over));
    res.end();
  } finally {
    builds.active -= 1;
    releaseSlot?.();
  }
}

function labImageInfosSync(all: import('dockerode').ImageInfo[], labs: string[]) {
  const allowed = new Set(labs.map((tag) => (tag.includes(':') ? tag : `${tag}:latest`)));
  return all.filter((info) => (info.RepoTags ?? []).some((tag) => allowed.has(tag)));
}

async function quotaRefusal(
  ctx: ProxyContext,
  newName: boolean,
  ownCount: number,
  bytes: () => Promise<number>,
): Promise<Refusal | null> {
  if (newName && ownCount + 1 > ctx.quotas.images) {
    return {
      status: 403,
      message: `quota reached: at most ${ctx.quotas.images} images per learner; remove one with docker rmi`,
    };
  }
  const used = await bytes();
  if (used >= ctx.quotas.imageBytes) {
    return {
      status: 403,
      message: `quota reached: your images use ${Math.round(used / 1048576)} MiB of ${Math.round(ctx.quotas.imageBytes / 1048576)} MiB; remove some with docker rmi`,
    };
  }
  return null;
}

/**
 * Each of the learner's images the Dockerfile builds FROM or copies from must be theirs by label (not
 * merely named in their namespace), and its ONBUILD triggers must pass the same rules.
 */
async function checkBases(ctx: ProxyContext, names: string[], labs: string[]): Promise<Refusal | null> {
  for (const name of names) {
    const found = await findImage(ctx.docker, ctx.scope, name, labs);
    const refusal = lookupRefusal(found);
    if (refusal || !('found' in found)) return refusal;
    if (!found.found.own) return { status: 403, message: `${name} is not one of your images` };
    const info = await withEngineDeadline('inspecting an image', () => ctx.docker.getImage(found.found.id).inspect());
    const triggers = (info.Config?.OnBuild ?? []) as string[];
    if (triggers.length) {
      // Checked as the triggers they are (ONBUILD ADD is refused: it would unpack this context's archives).
      const problems = checkDockerfile(
        `FROM ${labs[0] ?? 'lab/node'}\n${triggers.map((trigger) => `ONBUILD ${trigger}`).join('\n')}\n`,
        labs,
        `ONBUILD of ${name}`,
      );
      if (problems.length) return { status: 400, message: problems.map((p) => `${p.file}: ${p.message}`).join('; ') };
    }
  }
  return null;
}

/**
 * After the build: the learner's images a rebuild left without a name (and that no container uses) are
 * removed, as the lab's quota would otherwise fill with them; past the quota the new image goes again
 * and the learner is told.
 */
async function quotaAfterBuild(ctx: ProxyContext, imageId: string, labs: string[]): Promise<string | null> {
  let all = await withEngineDeadline('listing images', () => ctx.docker.listImages());
  const unnamed = (await ownImages(ctx.docker, ctx.scope, all)).filter(
    (info) => info.Id !== imageId && !(info.RepoTags ?? []).some((tag) => tag !== '<none>:<none>'),
  );
  for (const info of unnamed) {
    // Not forced: an image a container still uses stays.
    await withEngineDeadline('removing an image', () => ctx.docker.getImage(info.Id).remove({ noprune: true })).catch(
      () => undefined,
    );
  }
  if (unnamed.length) all = await withEngineDeadline('listing images', () => ctx.docker.listImages());
  const own = await ownImages(ctx.docker, ctx.scope, all);
  const used = await ownImageBytes(ctx.docker, own, await labImageInfos(ctx.docker, labs, all));
  if (own.length <= ctx.quotas.images && used <= ctx.quotas.imageBytes) return null;
  log.info('Removing a terminal image past the quota', {
    owner: ctx.scope.owner,
    image: imageId,
    images: own.length,
    bytes: used,
  });
  // With its parents: an image past the quota must not leave its bytes behind as build cache.
  await withEngineDeadline('removing an image', () => ctx.docker.getImage(imageId).remove({ force: true })).catch(
    () => undefined,
  );
  return used > ctx.quotas.imageBytes
    ? `quota reached: the image made your images ${Math.round(used / 1048576)} MiB, more than ${Math.round(ctx.quotas.imageBytes / 1048576)} MiB: it was removed`
    : `quota reached: at most ${ctx.quotas.images} images per learner: the new image was removed; remove one with docker rmi`;
}
