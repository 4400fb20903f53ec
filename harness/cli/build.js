// The CLI's build (`npm run build`, run by `npm ci` through prepare, and by bin.cjs when a source is
// newer): esbuild bundles harness/cli/main.ts and the pure-JS packages it uses into one plain
// CommonJS file, dist/cli-<hash>/main.cjs, so that starting the CLI reads one file instead of
// resolving and loading about 150 modules. One file, and CommonJS, because bin.cjs compiles it with
// a V8 code cache (node:vm Script cachedData; Node 20 has no module compile cache), and that works on
// a script, not on ES modules. The verbs stay lazy inside it: main.ts imports each on demand, which
// esbuild keeps as a deferred initialiser, so `sim` runs no compare, report or capture code.
// esbuild strips types and does not check them: `npm run typecheck` does, in CI.
//
// Several bootsim processes may build at once in one checkout, and a running one may still write its
// code cache: a build is written to a new folder named by its content hash, renamed into place whole,
// and only then named in dist/.built (written by rename too), so a reader sees an old complete build
// or a new complete one. A build superseded over an hour ago is removed.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readStamp, isStale } from './stamp.cjs';

export { readStamp, isStale };

/** What the bundle leaves to node_modules: a native addon (kernel facts only). */
export const EXTERNAL = ['@napi-rs/lzma'];
const KEEP_MS = 60 * 60 * 1000;

/** Builds dist/cli-<hash>/main.cjs and points dist/.built at it; returns the stamp. Throws esbuild's error on a build failure. */
export async function buildCli(root) {
  const startedMs = Date.now();
  const dist = path.join(root, 'dist');
  const before = readStamp(root);
  // loaded here, not at the top: a build is the rare case
  const { build } = await import('esbuild');
  const { createHash } = await import('node:crypto');
  const r = await build({
    absWorkingDir: root,
    entryPoints: ['harness/cli/main.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: 'dist/cli/main.cjs',
    write: false,
    metafile: true,
    sourcemap: 'linked',
    sourcesContent: false,
    // import.meta.url (sim/base/paths.ts finds the repo from it; the HTML report resolves diff2html's CSS) is the bundle's own URL
    define: { 'import.meta.url': '__bootsimUrl' },
    banner: { js: "const __bootsimUrl = require('node:url').pathToFileURL(__filename).href;" },
    external: EXTERNAL,
    logLevel: 'silent',
  });
  const hash = createHash('sha256');
  for (const f of [...r.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) hash.update(path.basename(f.path)).update(f.contents);
  const dir = `cli-${hash.digest('hex').slice(0, 12)}`;
  const out = path.join(dist, dir);
  if (!exists(out)) {
    const tmp = path.join(dist, `.${dir}.${process.pid}.tmp`);
    mkdirSync(tmp, { recursive: true });
    for (const f of r.outputFiles) writeFileSync(path.join(tmp, path.basename(f.path)), f.contents);
    try {
      renameSync(tmp, out);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process wrote the same build first
    }
  }
  // packages are covered by package-lock.json (BUILD_INPUTS); a node_modules linked from another
  // checkout (a git worktree's) shows as ../<checkout>/node_modules/…, and is a package all the same
  const inputs = Object.keys(r.metafile.inputs).filter((i) => !/(^|\/)node_modules\//.test(i) && !i.startsWith('<')).sort();
  const stamp = { dir, startedMs, inputs };
  const stampTmp = path.join(dist, `.built.${process.pid}.tmp`);
  writeFileSync(stampTmp, `${JSON.stringify(stamp)}\n`);
  renameSync(stampTmp, path.join(dist, '.built'));
  // the folder's mtime now says when it stopped being the current build
  if (before && before.dir !== dir) touch(path.join(dist, before.dir));
  removeOldBuilds(dist, dir);
  return stamp;
}

function touch(p) {
  try {
    const now = new Date();
    utimesSync(p, now, now);
  } catch {
    // already gone
  }
}

function exists(p) {
  return statSync(p, { throwIfNoEntry: false }) !== undefined;
}

/** Removes the builds other than `keep` that were superseded over an hour ago (a process started from one may still write its code cache). */
function removeOldBuilds(dist, keep) {
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === keep || !/^(cli-[0-9a-f]{12}|\.cli-[0-9a-f]{12}\.\d+\.tmp)$/.test(e.name)) continue;
    const p = path.join(dist, e.name);
    try {
      if (Date.now() - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // removed by another build meanwhile
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await buildCli(fileURLToPath(new URL('../../', import.meta.url)));
  } catch (e) {
    process.stderr.write(`bootsim: BUILD_FAILED: ${e && e.message ? e.message : String(e)}\n`);
    process.exit(2);
  }
}
