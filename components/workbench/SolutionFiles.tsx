// The exercise's solution, once the learner asked for it: each file folded, the Dockerfile open.
import type { DraftFile } from './use-drafts';

/** The solution's files. */
export function SolutionFiles({ files }: { files: DraftFile[] }) {
  return (
    <section className="solution" aria-labelledby="solution-title">
      <h2 id="solution-title">Solution</h2>
      {files.map((file) => (
        <details key={file.name} open={file.name === 'Dockerfile'}>
          <summary>{file.name}</summary>
          <pre className="code">{file.content}</pre>
        </details>
      ))}
    </section>
  );
}
