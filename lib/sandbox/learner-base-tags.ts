// Which lab images a learner may build FROM, told by their labels and tags.
import type Docker from 'dockerode';

/** On a lab image: `false` when learners may not build FROM it. */
export const LEARNER_BASE_LABEL = 'lab.learner-base';

/**
 * The tags learners may build FROM, out of a list of images: lab images (label lab.image, a `lab/`
 * tag) not marked as the lab's own tools (lab.learner-base=false, the workstation), without `:latest`.
 */
export function learnerBaseTags(images: Docker.ImageInfo[]): string[] {
  return images
    .filter((image) => image.Labels?.['lab.image'] && image.Labels?.[LEARNER_BASE_LABEL] !== 'false')
    .flatMap((image) => image.RepoTags ?? [])
    .filter((tag) => tag.startsWith('lab/'))
    .map((tag) => tag.replace(/:latest$/, ''))
    .sort();
}
