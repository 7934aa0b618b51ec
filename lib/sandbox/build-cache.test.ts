// The build cache stays within its budget: the oldest images no one owns go first, leaves before their
// parents, never one a running build made or one another image is built on. The engine is stood in for
// by a list of images (a cache of many gigabytes with chosen ages cannot be made on demand); what a
// failed build leaves on the real engine is tested in docker-engine.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { holdCacheImage, releaseCacheImages, trimBuildCache } from './build-cache';

const MiB = 1024 * 1024;
const id = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** Images as the engine lists them: id, parent, cumulative size, age, and whether it is cache. */
function engine(
  images: { n: number; parent?: number; sizeMb: number; created: number; tag?: string; run?: boolean }[],
) {
  const present = new Map(
    images.map((image) => [
      id(image.n),
      {
        Id: id(image.n),
        ParentId: image.parent ? id(image.parent) : '',
        Size: image.sizeMb * MiB,
        Created: image.created,
        RepoTags: image.tag ? [image.tag] : ['<none>:<none>'],
        Labels: { 'lab.image': 'node', ...(image.run ? { 'lab.run': 'r1' } : {}) },
      } as unknown as Docker.ImageInfo,
    ]),
  );
  const removed: string[] = [];
  const docker = {
    listImages: async () => [...present.values()],
    getImage: (ref: string) => ({
      remove: async () => {
        if ([...present.values()].some((info) => info.ParentId === ref))
          throw Object.assign(new Error('conflict'), { statusCode: 409 });
        present.delete(ref);
        removed.push(ref);
      },
    }),
  } as unknown as Docker;
  return { docker, removed };
}

test('removes the oldest leaves until the cache fits, and nothing when it fits already', async () => {
  // The lab image (named) at 100 MiB; two chains of cache built on it, 10 MiB per step.
  const images = [
    { n: 1, sizeMb: 100, created: 1, tag: 'lab/node:latest' },
    { n: 2, parent: 1, sizeMb: 110, created: 10 },
    { n: 3, parent: 2, sizeMb: 120, created: 11 },
    { n: 4, parent: 1, sizeMb: 110, created: 20 },
    { n: 5, parent: 4, sizeMb: 120, created: 21 },
  ];
  const fits = engine(images);
  assert.deepEqual((await trimBuildCache(fits.docker, 40 * MiB)).removed, []);
  const { docker, removed } = engine(images);
  const trim = await trimBuildCache(docker, 25 * MiB);
  assert.deepEqual(removed, [id(3), id(2)], 'the older chain, its leaf first');
  assert.equal(trim.bytes, 20 * MiB);
});

test("keeps what a running build made, what another image is built on, and a run's labelled image", async () => {
  const { docker, removed } = engine([
    { n: 1, sizeMb: 100, created: 1, tag: 'lab/node:latest' },
    { n: 2, parent: 1, sizeMb: 110, created: 10 },
    { n: 3, parent: 2, sizeMb: 150, created: 11, tag: 'learner-k/app:latest' },
    { n: 4, parent: 1, sizeMb: 130, created: 12 },
    { n: 5, parent: 1, sizeMb: 140, created: 13, run: true },
  ]);
  holdCacheImage(id(4));
  try {
    const trim = await trimBuildCache(docker, 0);
    assert.deepEqual(removed, []);
    assert.equal(trim.bytes, 40 * MiB, "the two cache images left: one under a learner's image, one a build holds");
  } finally {
    releaseCacheImages([id(4)]);
  }
});
