// Small files, one concept each: no source file of the project is over 300 lines (the generated Prisma
// clients aside). A file that grows past it is split by concept, its parts named after their exports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 300;
const SOURCE = /\.(ts|tsx|mjs|js)$/;
const GENERATED = [path.join('lib', 'db', 'generated'), path.join('lib', 'db', 'generated-pg')];

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !GENERATED.some((generated) => file.startsWith(generated + path.sep)));
}

test(`no source file under lib/, components/, app/ or scripts/ is over ${MAX_LINES} lines`, () => {
  const files = ['lib', 'components', 'app', 'scripts'].flatMap(sourceFiles);
  assert.ok(files.length > 100, `found ${files.length} source files`);
  const long = files
    .map((file) => ({ file, lines: fs.readFileSync(path.join(root, file), 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
  assert.deepEqual(long, []);
});
