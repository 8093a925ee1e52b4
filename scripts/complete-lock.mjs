#!/usr/bin/env node
// Some registries (this project's build machines among them) serve only the current
// platform's builds of rollup (a dependency of tsup). `npm install` then leaves rollup's
// other platform packages out of package-lock.json, and `npm ci` refuses the lock as out
// of sync. This adds lock entries for them, marked optional with their os/cpu/libc (read
// from rollup's naming), so `npm ci` skips them on other platforms without fetching them.
// Run it after `npm install` changes the lock; CI's `npm ci` fails if it was forgotten.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
if (!rollup) process.exit(0);
const manifest = JSON.parse(readFileSync('node_modules/rollup/package.json', 'utf8'));
let added = 0;
for (const [name, version] of Object.entries(manifest.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (!name.startsWith('@rollup/rollup-') || lock.packages[key]) continue;
  const [os, cpu, abi = ''] = name.slice('@rollup/rollup-'.length).split('-');
  const libc = abi.includes('musl') ? ['musl'] : abi.includes('gnu') ? ['glibc'] : undefined;
  lock.packages[key] = { version, cpu: [cpu], dev: true, license: 'MIT', ...(libc ? { libc } : {}), optional: true, os: [os] };
  added++;
}
rollup.optionalDependencies ??= manifest.optionalDependencies;
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lock: ${added} rollup platform entries added`);
