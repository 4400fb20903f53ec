// The build stamp dist/.built, read on every start of the CLI. CommonJS, like bin.cjs, because
// Node starts a CommonJS entry about 10 ms sooner than an ES module one on this machine; build.js
// (the ES module that runs esbuild) imports it too, so the rule is written once.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');

/** Files whose change means a rebuild besides the bundle's own sources: the build, the package set, the compiler options. */
const BUILD_INPUTS = ['harness/cli/build.js', 'harness/cli/stamp.cjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The stamp dist/.built: the build folder, the build's start time and the repo sources it read. */
function readStamp(root) {
  try {
    const s = JSON.parse(readFileSync(path.join(root, 'dist', '.built'), 'utf8'));
    if (typeof s.dir === 'string' && /^cli-[0-9a-f]{12}$/.test(s.dir) && typeof s.startedMs === 'number' && Array.isArray(s.inputs) && s.inputs.every((i) => typeof i === 'string')) return s;
  } catch {
    // missing or unreadable: not built
  }
  return undefined;
}

/**
 * True when the build named by the stamp is missing or an input changed after the build started:
 * a source of the bundle, or one of BUILD_INPUTS (a package upgrade changes package-lock.json).
 * A new source file matters only once an existing one imports it, which changes that one.
 */
function isStale(root, stamp = readStamp(root)) {
  if (!stamp) return true;
  // the inputs are the build's own relative paths ('sim/boot.ts'): joined by concatenation, since
  // path.join's normalisation of ~500 paths was most of this check's time on every start
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  try {
    statSync(path.join(root, 'dist', stamp.dir, 'main.cjs'));
    for (const f of stamp.inputs) {
      if (statSync(base + f, { throwIfNoEntry: false })?.mtimeMs > stamp.startedMs) return true;
    }
    for (const f of BUILD_INPUTS) {
      if (statSync(base + f, { throwIfNoEntry: false })?.mtimeMs > stamp.startedMs) return true;
    }
  } catch {
    return true;
  }
  return false;
}

module.exports = { BUILD_INPUTS, readStamp, isStale };
