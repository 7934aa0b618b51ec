// The Dockerfile an example is built from: the one the lesson shows, or one made from what it says.
import type { ExampleSpec } from './example-spec-schema';

/**
 * The Dockerfile of an example: the one shown, completed with `FROM lab/node`, `WORKDIR /app` and a
 * COPY of the other files when it is a fragment without FROM; or those lines and cmd/entrypoint.
 */
export function exampleDockerfile(spec: ExampleSpec, shown: string | undefined, otherFiles: string[]): string {
  if (shown !== undefined && /^\s*FROM\s/im.test(shown)) return shown.endsWith('\n') ? shown : `${shown}\n`;
  const base = ['FROM lab/node', 'WORKDIR /app', ...(otherFiles.length ? [`COPY ${otherFiles.join(' ')} ./`] : [])];
  const command = shown !== undefined
    ? [shown]
    : [
        ...(spec.entrypoint ? [`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`] : []),
        ...(spec.cmd === undefined ? [] : [`CMD ${typeof spec.cmd === 'string' ? spec.cmd : JSON.stringify(spec.cmd)}`]),
      ];
  return `${[...base, ...command].join('\n').replace(/\n+$/, '')}\n`;
}
