// The build cache, kept within a budget. Every step of a learner build leaves an image the next build
// of the same steps reuses (a cached Run builds in milliseconds); nobody owns those images, so no quota
// counts them, and a learner who rebuilds with new steps could fill the host's disk with them. After
// builds, the oldest cache images are removed, leaves first, until the cache fits its budget again.
import type Docker from 'dockerode';
import { log } from '../log';
import { withEngineDeadline } from './engine-deadline';
import { RUN_LABEL } from './labels';

/** What a trim removed. */
export interface CacheTrim {
  removed: string[];
  /** The cache's size after the trim, in bytes (each image counted by its own layer). */
  bytes: number;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** Images that running builds have made and will build on, each with how many builds hold it. */
const inUse = new Map<string, number>();

/** Keeps an image a running build made from the trim; `releaseCacheImages` when the build is over. */
export function holdCacheImage(id: string): void {
  inUse.set(short(id), (inUse.get(short(id)) ?? 0) + 1);
}
export function releaseCacheImages(ids: Iterable<string>): void {
  for (const id of ids) {
    const left = (inUse.get(short(id)) ?? 1) - 1;
    if (left > 0) inUse.set(short(id), left);
    else inUse.delete(short(id));
  }
}

/** A cache image: no name, not a run's or a learner's image, built on a lab image. */
function isCacheImage(info: Docker.ImageInfo): boolean {
  const named = (info.RepoTags ?? []).some((tag) => tag !== '<none>:<none>');
  return !named && !info.Labels?.[RUN_LABEL] && Boolean(info.Labels?.['lab.image']);
}

/** Removes the oldest cache images, leaves first, until the cache takes at most `maxBytes`. */
export async function trimBuildCache(docker: Docker, maxBytes: number): Promise<CacheTrim> {
  const all = await withEngineDeadline('listing images', () => docker.listImages({ all: true }));
  const byId = new Map(all.map((info) => [info.Id, info]));
  const children = new Map<string, number>();
  for (const info of all) if (info.ParentId) children.set(info.ParentId, (children.get(info.ParentId) ?? 0) + 1);
  // An image's Size counts its parents' layers too: its own layer is the difference.
  const own = (info: Docker.ImageInfo) => Math.max(0, info.Size - (byId.get(info.ParentId)?.Size ?? 0));
  const cache = all.filter(isCacheImage);
  let bytes = cache.reduce((sum, info) => sum + own(info), 0);
  const removed: string[] = [];
  const tried = new Set<string>();
  while (bytes > maxBytes) {
    const leaf = cache
      .filter((info) => !tried.has(info.Id) && !children.get(info.Id) && !inUse.has(short(info.Id)))
      .sort((a, b) => a.Created - b.Created)[0];
    if (!leaf) break;
    tried.add(leaf.Id);
    try {
      // Not forced: an image a container still uses stays.
      await withEngineDeadline('removing an image', () => docker.getImage(leaf.Id).remove({ noprune: true }));
      bytes -= own(leaf);
      if (leaf.ParentId) children.set(leaf.ParentId, (children.get(leaf.ParentId) ?? 1) - 1);
      removed.push(leaf.Id);
    } catch {
      /* in use, or gone: skipped */
    }
  }
  if (removed.length) log.info('Trimmed the build cache', { removed: removed.length, bytes, maxBytes });
  return { removed, bytes };
}

/**
 * Trims run at most this often. Listing every image is dear (about 0.3 CPU-seconds of dockerd with a
 * cache of 2,000 images, more than the rest of a run asks of it): between two trims the cache can pass
 * its budget by what the builds of that interval made, each within its build's disk limit.
 */
export const TRIM_INTERVAL_MS = 30_000;

let running: Promise<unknown> | null = null;
let last = 0;
let waiting: NodeJS.Timeout | null = null;

/** Trims the cache soon, one trim at a time and at most one per TRIM_INTERVAL_MS (builds ending together share one). */
export function scheduleCacheTrim(docker: Docker, maxBytes: number): void {
  if (waiting) return;
  const wait = running ? TRIM_INTERVAL_MS : Math.max(0, last + TRIM_INTERVAL_MS - Date.now());
  if (wait > 0) {
    waiting = setTimeout(() => {
      waiting = null;
      scheduleCacheTrim(docker, maxBytes);
    }, wait);
    waiting.unref();
    return;
  }
  last = Date.now();
  running = trimBuildCache(docker, maxBytes)
    .catch((error: unknown) => log.warn('Failed to trim the build cache', { error: String(error) }))
    .finally(() => {
      running = null;
    });
}
