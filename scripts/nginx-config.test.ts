// The balancer's nginx configuration: the one compose.yaml's cells profile uses is the one the script
// makes, Debian's nginx accepts it, and an argument that is not a cell is refused with its text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { nginxConfig, parseCells } from './nginx-config';

test("compose's balancer configuration is the one `npm run nginx-config` makes for its two cells", () => {
  const cells = parseCells(['cell-a=lab:3000', 'cell-b=lab-b:3000']);
  assert.equal(fs.readFileSync('deploy/nginx/nginx.conf', 'utf8'), nginxConfig(cells, { listen: '80' }));
});

test('nginx accepts the configuration it is given, with every cell routed by its cookie', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-nginx-config-'));
  try {
    const cells = parseCells(['cell-a=127.0.0.1:3001', 'cell-b=127.0.0.1:3002', 'c3=[::1]:3003']);
    const text = nginxConfig(cells, { listen: '127.0.0.1:8080', pidFile: `${dir}/nginx.pid`, tempDir: dir });
    for (const cell of cells) assert.match(text, new RegExp(`\\n    ${cell.name} lab_cell_\\w+;`));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
    const tested = spawnSync('nginx', ['-t', '-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], {
      encoding: 'utf8',
    });
    assert.equal(tested.status, 0, tested.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an argument that is not name=host:port, or a name given twice, is refused', () => {
  assert.throws(() => parseCells(['cell-a']), /"cell-a" is not name=host:port/);
  assert.throws(() => parseCells(['Cell_A=lab:3000']), /"Cell_A=lab:3000" is not name=host:port/);
  assert.throws(() => parseCells(['a=lab:3000;evil']), /is not name=host:port/);
  assert.throws(() => nginxConfig(parseCells(['a=x:1', 'a=y:2']), { listen: '80' }), /two cells have the same name/);
  assert.throws(() => nginxConfig([], { listen: '80' }), /at least one cell/);
});
