#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional binaries (e.g. @swc/core-darwin-arm64) that
// npm left out because the registry reachable from the machine that wrote the lock does not serve that version.
// Without them `npm ci` refuses the lock ("Missing: … from lock file", npm/cli#4828, #8320). Each added entry
// carries the exact version its parent pins and the os/cpu/libc of that package as the registry describes it,
// so `npm ci` skips it on other platforms and installs it where it matches.
// Usage: node tools/complete-lockfile.mjs   (after any `npm install` that rewrote package-lock.json)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const added = [];

const resolves = (fromPath, name) => {
  // Node resolution: look in fromPath/node_modules, then each ancestor's, then the root.
  let dir = fromPath;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i === -1 ? '' : dir.slice(0, i);
  }
};

const platformOf = (name) => {
  const out = execFileSync('npm', ['view', name, 'os', 'cpu', 'libc', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const v = JSON.parse(out || '{}');
  return { os: v.os, cpu: v.cpu, libc: v.libc };
};

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(path, name)) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) {
      console.error(`skip ${name}@${spec} (not an exact version) required by ${path || 'root'}`);
      continue;
    }
    const { os, cpu, libc } = platformOf(name);
    if (!os && !cpu) {
      console.error(`skip ${name}: the registry gives no os/cpu, so it is not a platform binary`);
      continue;
    }
    const key = `node_modules/${name}`;
    packages[key] = {
      version: spec,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [].concat(cpu) } : {}),
      ...(libc ? { libc: [].concat(libc) } : {}),
      ...(os ? { os: [].concat(os) } : {}),
    };
    added.push(`${name}@${spec}`);
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} platform entries:\n  ${added.join('\n  ')}` : 'lock already complete');
