// Types of ensure-docker-engine.mjs for the TypeScript scripts that start an engine of their own.
export declare const DOCKERD_ARGS: string[];
export declare function ensureDockerEngine(): Promise<void>;
