#!/usr/bin/env node
// Entry point for `npx bootsim`: runs the plain JavaScript build in dist/, which `npm ci` makes
// (the prepare script, `npm run build`). A source newer than the build would run stale code, so
// the build is brought up to date first, with a line on stderr; an up-to-date build starts at once.
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A reader that stops early (`bootsim conformance --json | head`) closes the pipe: end quietly,
// with the status a shell gives a process that SIGPIPE ended (128 + 13).
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(141);
  throw e;
});
// The last guard: main() never throws, but a timer or stream callback could.
const last = (e) => {
  const debug = process.argv.includes('--debug') || process.env.BOOTSIM_DEBUG === '1';
  const code = e && typeof e.code === 'string' ? e.code : 'INTERNAL';
  process.stderr.write(`bootsim: ${code}: ${String(e && e.message ? e.message : e).split('\n')[0]}${debug ? `\n${e && e.stack}` : ' (--debug shows the stack)'}\n`);
  process.exit(2);
};
process.on('uncaughtException', last);
process.on('unhandledRejection', last);

const root = fileURLToPath(new URL('../../', import.meta.url));
const stamp = path.join(root, 'dist', '.built');

// The newest mtime of what the build compiles (tsconfig.build.json's include list).
function newestSource() {
  let newest = Math.max(statSync(path.join(root, 'tsconfig.build.json')).mtimeMs, statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['harness', 'sim', 'qemu-scripts']) walk(path.join(root, d));
  return newest;
}

if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestSource()) {
  process.stderr.write('bootsim: the build in dist/ is missing or older than the sources; building (npm run build) …\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    process.stderr.write('bootsim: BUILD_FAILED: `tsc -p tsconfig.build.json` failed (its errors are above)\n');
    process.exit(2);
  }
  writeFileSync(stamp, '');
  const now = new Date();
  utimesSync(stamp, now, now);
}

const { main } = await import(pathToFileURL(path.join(root, 'dist', 'harness', 'cli', 'main.js')).href);
process.exitCode = await main(process.argv.slice(2));
