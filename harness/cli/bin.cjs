#!/usr/bin/env node
// Entry point for `npx bootsim` (harness/cli/bin.cjs): runs the plain JavaScript build, dist/cli-<hash>/main.cjs, that
// `npm ci` makes (the prepare script, `npm run build`: harness/cli/build.js). A source newer than
// the build would run stale code, so the build is brought up to date first, with a line on stderr
// (esbuild takes well under a second); an up-to-date build starts at once.
//
// The bundle is compiled with a V8 code cache, one per verb, written beside it after the verb's
// first run (node:vm Script cachedData: Node 20 has no module compile cache). V8 then skips
// compiling the functions that run, which is most of a `bootsim sim` start. V8 refuses a cache from
// another Node version or other flags; it is then written again. With --debug the bundle is loaded
// by require() instead, so that the stack names the TypeScript sources through the source map.
//
// CommonJS, not an ES module: Node starts a CommonJS entry about 10 ms sooner here (an empty script:
// 103 ms against 115 ms), which is the margin of the 150 ms `bootsim sim` target. The stamp check is
// in stamp.cjs; build.js, the ES module that runs esbuild, is imported only when a build is needed.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { Module, createRequire } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');
const { readStamp, isStale } = require('./stamp.cjs');

// A reader that stops early (`bootsim conformance --json | head`) closes the pipe: end quietly,
// with the status a shell gives a process that SIGPIPE ended (128 + 13).
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(141);
  throw e;
});
const debug = process.argv.includes('--debug') || process.env.BOOTSIM_DEBUG === '1';
// The last guard: main() never throws, but a timer or stream callback could.
const last = (e) => {
  const code = e && typeof e.code === 'string' ? e.code : 'INTERNAL';
  process.stderr.write(`bootsim: ${code}: ${String(e && e.message ? e.message : e).split('\n')[0]}${debug ? `\n${e && e.stack}` : ' (--debug shows the stack)'}\n`);
  process.exit(2);
};
process.on('uncaughtException', last);
process.on('unhandledRejection', last);

const root = path.resolve(__dirname, '..', '..');

/** Loads a CommonJS file as Node's loader would (same wrapper, module and require), compiled with the code cache `cacheFile`; returns its exports and a function that writes the cache when there was none or V8 refused it. */
function requireWithCodeCache(file, cacheFile) {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // the verb's first run
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, undefined);
  mod.filename = file;
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only tree only loses the speed-up
    }
  };
  return { exports: mod.exports, save };
}

async function run() {
  let stamp = readStamp(root);
  if (isStale(root, stamp)) {
    process.stderr.write('bootsim: the build in dist/ is missing or older than the sources; building (npm run build) …\n');
    try {
      const { buildCli } = await import(pathToFileURL(path.join(__dirname, 'build.js')).href);
      stamp = await buildCli(root);
    } catch (e) {
      process.stderr.write(`bootsim: BUILD_FAILED: the CLI build (harness/cli/build.js) failed: ${String(e && e.message ? e.message : e).trim()}\n`);
      process.exit(2);
    }
  }
  const bundle = path.join(root, 'dist', stamp.dir, 'main.cjs');
  const verb = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  let cli;
  if (debug) {
    // --debug stacks name the TypeScript sources (the build writes a linked source map)
    process.setSourceMapsEnabled(true);
    cli = { exports: require(bundle), save: () => {} };
  } else {
    cli = requireWithCodeCache(bundle, `${bundle}.${verb}.v8cache`);
  }
  process.exitCode = await cli.exports.main(process.argv.slice(2));
  // after the run, so that the cache holds every function this verb compiled; a misspelt verb keeps none
  if (Array.isArray(cli.exports.verbNames) && cli.exports.verbNames.includes(verb)) cli.save();
}

run().catch(last);
