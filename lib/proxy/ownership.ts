// Which containers and images belong to a learner, and what a name, ID or ID prefix the learner typed
// refers to. Ownership is read from the object itself (its labels), never from its name: a learner
// owns an image they built (every build ends with a LABEL step naming them), not one that merely
// carries a tag in their namespace. Only the learner's own objects (and the lab images, read-only)
// can be found: another learner's container is "No such container", exactly as if it did not exist.
import type Docker from 'dockerode';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { OWNER_LABEL } from '../sandbox/labels';
import { ORIGIN_LABEL, TERMINAL_ORIGIN, type Scope } from './scope';

/** Marks the workstation container: the learner's, but not theirs to see or touch with docker. */
export const WORKSTATION_LABEL = 'lab.workstation';

/** The filters that select a learner's terminal objects. */
export function ownerFilters(scope: Scope): string[] {
  return [`${OWNER_LABEL}=${scope.owner}`, `${ORIGIN_LABEL}=${TERMINAL_ORIGIN}`];
}

/** True for a container or image the learner owns. */
export function ownsLabels(scope: Scope, labels: Record<string, string> | null | undefined): boolean {
  return (
    labels?.[OWNER_LABEL] === scope.owner && labels?.[ORIGIN_LABEL] === TERMINAL_ORIGIN && !labels?.[WORKSTATION_LABEL]
  );
}

export type Lookup<T> = { found: T } | { missing: string } | { ambiguous: string };

/** The learner's containers (all states), without the workstation. */
export async function ownContainers(docker: Docker, scope: Scope): Promise<Docker.ContainerInfo[]> {
  const list = await withEngineDeadline('listing containers', () =>
    docker.listContainers({ all: true, filters: { label: ownerFilters(scope) } }),
  );
  return list.filter((info) => ownsLabels(scope, info.Labels));
}

/** A container the learner addressed; `inspect` when it was found by inspecting it. */
export interface FoundContainer {
  Id: string;
  inspect?: Docker.ContainerInspectInfo;
}

/** The engine's answer to an inspect, or null when there is no such object. */
async function inspectOrNull<T>(what: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await withEngineDeadline(what, call);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

/** Names a learner may give a container, as the engine accepts them. */
export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/**
 * Resolves a container reference as Docker does: full ID, then exact name, then unique ID prefix.
 * A name or a full ID is looked up with one inspect (the common case, and the answer to `docker
 * inspect`); only a prefix needs the list of the learner's containers.
 */
export async function findContainer(docker: Docker, scope: Scope, ref: string): Promise<Lookup<FoundContainer>> {
  const name = ref.replace(/^\//, '');
  const direct = /^[0-9a-f]{64}$/.test(ref)
    ? ref
    : CONTAINER_NAME.test(name)
      ? `${scope.containerPrefix}${name}`
      : null;
  if (direct) {
    const info = await inspectOrNull('inspecting a container', () => docker.getContainer(direct).inspect());
    if (
      info &&
      ownsLabels(scope, info.Config.Labels) &&
      (info.Id === ref || info.Name === `/${scope.containerPrefix}${name}`)
    ) {
      return { found: { Id: info.Id, inspect: info } };
    }
  }
  if (/^[0-9a-f]{1,63}$/.test(ref)) {
    const matches = (await ownContainers(docker, scope)).filter((info) => info.Id.startsWith(ref));
    if (matches.length === 1) return { found: { Id: matches[0].Id } };
    if (matches.length > 1) return { ambiguous: `multiple IDs found with provided prefix: ${ref}` };
  }
  return { missing: `No such container: ${name.slice(0, 200)}` };
}

/** A learner's image or a lab image. */
export interface ImageRef {
  id: string;
  /** The reference to send to the engine: a name in the learner's namespace, a lab image, or the ID. */
  engineRef: string;
  own: boolean;
  /** The learner's own tags on it, as the engine names them (`learner-<key>/my-api:1.4.0`). */
  ownTags: string[];
  /** Tags on it that are not the learner's. */
  otherTags: string[];
}

/** The reference with its tag (`my-api` -> `my-api:latest`), as the engine lists it. */
export function withTag(ref: string): string {
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || ref.includes('@') ? ref : `${ref}:latest`;
}

/**
 * An image reference a learner may use for their own images: lowercase path components and an
 * optional tag, no registry, no digest (the engine's reference grammar, without what the lab lacks).
 */
export const IMAGE_NAME =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;

/** The reference as the learner wrote it, without Docker Hub's implicit prefix. */
export function typedRef(ref: string): string {
  return ref.replace(/^docker\.io\/(library\/)?/, '');
}

/** True for an image the learner built through the terminal (or the lab built in their name). */
function ownsImage(
  scope: Scope,
  info: { Labels?: Record<string, string> | null; Config?: { Labels?: Record<string, string> | null } },
): boolean {
  return ownsLabels(scope, info.Labels ?? info.Config?.Labels);
}

/** The learner's images (built through the terminal). One listing, classified here. */
export async function ownImages(docker: Docker, scope: Scope, all?: Docker.ImageInfo[]): Promise<Docker.ImageInfo[]> {
  const list =
    all ??
    (await withEngineDeadline('listing images', () => docker.listImages({ filters: { label: ownerFilters(scope) } })));
  return list.filter((info) => ownsImage(scope, info));
}

/** The lab images learners may run and build FROM. */
export async function labImageInfos(
  docker: Docker,
  labImages: string[],
  all?: Docker.ImageInfo[],
): Promise<Docker.ImageInfo[]> {
  const allowed = new Set(labImages.map(withTag));
  const list =
    all ?? (await withEngineDeadline('listing images', () => docker.listImages({ filters: { label: ['lab.image'] } })));
  return list.filter((info) => (info.RepoTags ?? []).some((tag) => allowed.has(tag)));
}

function imageRef(scope: Scope, info: Docker.ImageInspectInfo, engineRef: string, own: boolean): ImageRef {
  const tags = info.RepoTags ?? [];
  return {
    id: info.Id,
    engineRef,
    own,
    ownTags: tags.filter((tag) => tag.startsWith(scope.imagePrefix)),
    otherTags: tags.filter((tag) => !tag.startsWith(scope.imagePrefix)),
  };
}

/**
 * Resolves an image reference among the learner's images and the lab images. A name is looked up
 * directly (one inspect); only an ID prefix needs the list of images. A name in the learner's
 * namespace on an image they do not own is found only with `untagOnly` (rmi may take the name away).
 */
export async function findImage(
  docker: Docker,
  scope: Scope,
  ref: string,
  labImages: string[],
  options: { untagOnly?: boolean } = {},
): Promise<Lookup<ImageRef>> {
  const typed = typedRef(ref);
  const tagged = withTag(typed);
  if (IMAGE_NAME.test(typed)) {
    // The engine is sent the reference as typed (in the learner's namespace), so that `docker ps`
    // shows the IMAGE column as Docker would.
    const name = `${scope.imagePrefix}${typed}`;
    const own = await inspectOrNull('inspecting an image', () =>
      docker.getImage(`${scope.imagePrefix}${tagged}`).inspect(),
    );
    if (
      own &&
      (own.RepoTags ?? []).includes(`${scope.imagePrefix}${tagged}`) &&
      (ownsImage(scope, own) || options.untagOnly)
    ) {
      return { found: imageRef(scope, own, name, ownsImage(scope, own)) };
    }
    if (labImages.map(withTag).includes(tagged)) {
      const lab = await inspectOrNull('inspecting an image', () => docker.getImage(tagged).inspect());
      if (lab) return { found: { ...imageRef(scope, lab, typed, false), ownTags: [] } };
    }
  }
  const hex = ref.replace(/^sha256:/, '');
  if (/^[0-9a-f]{1,64}$/.test(hex)) {
    const all = await withEngineDeadline('listing images', () => docker.listImages());
    const matches = [
      ...(await ownImages(docker, scope, all)).map((info) => ({ info, own: true })),
      ...(await labImageInfos(docker, labImages, all)).map((info) => ({ info, own: false })),
    ].filter(({ info }) => info.Id.replace(/^sha256:/, '').startsWith(hex));
    const ids = new Set(matches.map(({ info }) => info.Id));
    if (ids.size > 1) return { ambiguous: `multiple images found with provided prefix: ${ref.slice(0, 80)}` };
    if (ids.size === 1) {
      const { info, own } = matches[0];
      const tags = info.RepoTags ?? [];
      return {
        found: {
          id: info.Id,
          engineRef: info.Id,
          own,
          ownTags: own ? tags.filter((tag) => tag.startsWith(scope.imagePrefix)) : [],
          otherTags: tags.filter((tag) => !tag.startsWith(scope.imagePrefix)),
        },
      };
    }
  }
  return { missing: `No such image: ${tagged.slice(0, 200)}` };
}

/** Bytes of the learner's images beyond the lab image each is built on (layers shared with a lab image are free). */
export async function ownImageBytes(
  docker: Docker,
  images: Docker.ImageInfo[],
  labImages: Docker.ImageInfo[],
): Promise<number> {
  const labLayers = new Map<string, number>();
  for (const info of labImages) {
    const detail = await withEngineDeadline('inspecting an image', () => docker.getImage(info.Id).inspect());
    labLayers.set(detail.RootFS.Layers?.join(',') ?? '', info.Size);
  }
  let total = 0;
  for (const info of images) {
    const detail = await withEngineDeadline('inspecting an image', () => docker.getImage(info.Id).inspect());
    const layers = (detail.RootFS.Layers ?? []).join(',');
    let base = 0;
    for (const [key, size] of labLayers) {
      if (key && layers.startsWith(key)) base = Math.max(base, size);
    }
    total += Math.max(0, info.Size - base);
  }
  return total;
}
