// The dependencies point one way: routes, server.ts and the workshop use cases → lib/services.ts →
// the domain → lib/sandbox. A domain module that reached for the services (or a layer above it) would
// bring back the hidden singletons the wiring removed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const lib = import.meta.dirname;

/** The lib/ folders each module of `dir` may not import from. */
const FORBIDDEN: Record<string, string[]> = {
  sandbox: ['services', 'realtime', 'runner', 'proxy', 'workshops', 'workstation', 'incidents', 'learners'],
  // The terminal watch names containers as the proxy's scope does.
  observe: ['services', 'realtime', 'runner', 'workshops', 'workstation'],
  checks: ['services', 'realtime', 'runner', 'proxy', 'workshops', 'workstation', 'sandbox'],
  capacity: ['services', 'realtime', 'runner', 'proxy', 'workshops', 'workstation'],
  proxy: ['services', 'realtime', 'runner', 'workshops'],
  runner: ['services', 'realtime', 'workshops', 'workstation'],
  incidents: ['services', 'realtime', 'workshops', 'workstation'],
  learners: ['services', 'realtime', 'workshops'],
  realtime: ['services', 'workshops'],
  workstation: ['services', 'realtime', 'workshops'],
  // The records keep the learner's files in the sandbox's plain type.
  db: ['services', 'realtime', 'runner', 'proxy', 'workshops', 'workstation'],
};

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]);
}

test('modules below the services do not import them or the layers above', () => {
  const wrong: string[] = [];
  for (const [dir, forbidden] of Object.entries(FORBIDDEN)) {
    const files = fs
      .readdirSync(path.join(lib, dir), { recursive: true })
      .map(String)
      .filter(
        (file) => /\.tsx?$/.test(file) && !/\.test\.ts$|-fixtures\.ts$/.test(file) && !file.startsWith('generated'),
      );
    for (const file of files) {
      const full = path.join(lib, dir, file);
      for (const specifier of importsOf(full)) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(lib, path.resolve(path.dirname(full), specifier)).split(path.sep)[0];
        if (forbidden.includes(target.replace(/\.tsx?$/, ''))) wrong.push(`lib/${dir}/${file} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
