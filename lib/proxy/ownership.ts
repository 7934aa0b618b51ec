// Which containers and images belong to a learner, and what a name, ID or ID prefix the learner
// typed refers to. Only the learner's own objects (and the lab images, read-only) can be found:
// another learner's container is "No such container", exactly as if it did not exist.
import type Docker from 'dockerode';
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
  return labels?.[OWNER_LABEL] === scope.owner && labels?.[ORIGIN_LABEL] === TERMINAL_ORIGIN && !labels?.[WORKSTATION_LABEL];
}

export type Lookup<T> = { found: T } | { missing: string } | { ambiguous: string };

/** The learner's containers (all states), without the workstation. */
export async function ownContainers(docker: Docker, scope: Scope): Promise<Docker.ContainerInfo[]> {
  const list = await docker.listContainers({ all: true, filters: { label: ownerFilters(scope) } });
  return list.filter((info) => ownsLabels(scope, info.Labels));
}

/** A container the learner addressed; `inspect` when it was found by inspecting it. */
export interface FoundContainer {
  Id: string;
  inspect?: Docker.ContainerInspectInfo;
}

/**
 * Resolves a container reference as Docker does: full ID, then exact name, then unique ID prefix.
 * A name or a full ID is looked up with one inspect (the common case, and the answer to `docker
 * inspect`); only a prefix needs the list of the learner's containers.
 */
export async function findContainer(docker: Docker, scope: Scope, ref: string): Promise<Lookup<FoundContainer>> {
  const name = ref.replace(/^\//, '');
  const direct = /^[0-9a-f]{64}$/.test(ref) ? ref : /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name) ? `${scope.containerPrefix}${name}` : null;
  if (direct) {
    const info = await docker.getContainer(direct).inspect().catch(() => null);
    if (info && ownsLabels(scope, info.Config.Labels) && (info.Id === ref || info.Name === `/${scope.containerPrefix}${name}`)) {
      return { found: { Id: info.Id, inspect: info } };
    }
  }
  if (/^[0-9a-f]+$/.test(ref)) {
    const matches = (await ownContainers(docker, scope)).filter((info) => info.Id.startsWith(ref));
    if (matches.length === 1) return { found: { Id: matches[0].Id } };
    if (matches.length > 1) return { ambiguous: `multiple IDs found with provided prefix: ${ref}` };
  }
  return { missing: `No such container: ${name}` };
}

/** A learner's image or a lab image. */
export interface ImageRef {
  id: string;
  /** The reference to send to the engine. */
  engineRef: string;
  own: boolean;
}

/** The reference with its tag (`my-api` -> `my-api:latest`), as the engine lists it. */
export function withTag(ref: string): string {
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || ref.includes('@') ? ref : `${ref}:latest`;
}

/** True for an image the learner built or tagged through the terminal. */
function ownsImage(scope: Scope, info: Docker.ImageInfo): boolean {
  return ownsLabels(scope, info.Labels) || (info.RepoTags ?? []).some((tag) => tag.startsWith(scope.imagePrefix));
}

/** The learner's images (built or tagged through the terminal). One listing, classified here. */
export async function ownImages(docker: Docker, scope: Scope, all?: Docker.ImageInfo[]): Promise<Docker.ImageInfo[]> {
  return (all ?? (await docker.listImages())).filter((info) => ownsImage(scope, info));
}

/** The lab images learners may run and build FROM. */
export async function labImageInfos(docker: Docker, labImages: string[], all?: Docker.ImageInfo[]): Promise<Docker.ImageInfo[]> {
  const allowed = new Set(labImages.map(withTag));
  return (all ?? (await docker.listImages({ filters: { label: ['lab.image'] } }))).filter((info) => (info.RepoTags ?? []).some((tag) => allowed.has(tag)));
}

async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(ref).inspect();
  } catch {
    return null;
  }
}

/**
 * Resolves an image reference among the learner's images and the lab images. A name is looked up
 * directly (one inspect); only an ID prefix needs the list of images.
 */
export async function findImage(docker: Docker, scope: Scope, ref: string, labImages: string[]): Promise<Lookup<ImageRef>> {
  const typed = ref.replace(/^docker\.io\/(library\/)?/, '');
  const tagged = withTag(typed);
  // The engine is sent the reference as typed (in the learner's namespace), so that `docker ps`
  // shows the IMAGE column as Docker would.
  const own = await inspectImage(docker, `${scope.imagePrefix}${tagged}`);
  if (own && (own.RepoTags ?? []).includes(`${scope.imagePrefix}${tagged}`)) {
    return { found: { id: own.Id, engineRef: `${scope.imagePrefix}${typed}`, own: true } };
  }
  if (labImages.map(withTag).includes(tagged)) {
    const lab = await inspectImage(docker, tagged);
    if (lab) return { found: { id: lab.Id, engineRef: typed, own: false } };
  }
  const hex = ref.replace(/^sha256:/, '');
  if (/^[0-9a-f]{1,64}$/.test(hex)) {
    const all = await docker.listImages();
    const matches = [
      ...(await ownImages(docker, scope, all)).map((info) => ({ info, own: true })),
      ...(await labImageInfos(docker, labImages, all)).map((info) => ({ info, own: false })),
    ].filter(({ info }) => info.Id.replace(/^sha256:/, '').startsWith(hex));
    const ids = new Set(matches.map(({ info }) => info.Id));
    if (ids.size === 1) return { found: { id: matches[0].info.Id, engineRef: matches[0].info.Id, own: matches[0].own } };
    if (ids.size > 1) return { ambiguous: `multiple images found with provided prefix: ${ref}` };
  }
  return { missing: `No such image: ${tagged}` };
}

/** Bytes of the learner's images beyond the lab image each is built on (layers shared with a lab image are free). */
export async function ownImageBytes(docker: Docker, images: Docker.ImageInfo[], labImages: Docker.ImageInfo[]): Promise<number> {
  const labLayers = new Map<string, number>();
  for (const info of labImages) {
    const detail = await docker.getImage(info.Id).inspect();
    labLayers.set(detail.RootFS.Layers?.join(',') ?? '', info.Size);
  }
  let total = 0;
  for (const info of images) {
    const detail = await docker.getImage(info.Id).inspect();
    const layers = detail.RootFS.Layers ?? [];
    let base = 0;
    for (const [key, size] of labLayers) {
      if (key && layers.join(',').startsWith(key)) base = Math.max(base, size);
    }
    total += Math.max(0, info.Size - base);
  }
  return total;
}
