// The engine the engine-side figures of `npm run bench` share (one engine, one set of caches), and the
// owner label on the containers and images they make.
import { DockerEngine } from '../lib/sandbox/docker-engine';

/** The owner label of the benchmark's runs and containers; (d) counts what is left under it as leftovers. */
export const OWNER = 'bench';

/** The one engine of the benchmark's own runs and containers. */
export const engine = new DockerEngine();
