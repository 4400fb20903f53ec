// Where the project's files live. Everything resolves from the repo root, so the CLI works from any cwd.
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { checkOutputDir } from './files.ts';

/** The folder holding package.json and goldens/ above this module: it runs from sim/base/ (tests) or dist/sim/base/ (the CLI). */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'goldens'))) return dir + path.sep;
    if (path.dirname(dir) === dir) return fileURLToPath(new URL('../../', import.meta.url));
  }
}

export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
export const goldensDir = path.join(repoRoot, 'goldens');
export const kernelsDir = path.join(goldensDir, 'kernels');

/** The download cache, outside the repo: BOOTSIM_CACHE, else $XDG_CACHE_HOME/bootsim, else ~/.cache/bootsim. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOOTSIM_CACHE) return path.resolve(env.BOOTSIM_CACHE);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'bootsim');
}

/** The cache folder, checked before any work: a folder (or creatable), writable, not under /proc. Throws OutputError. */
export function usableCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const what = env.BOOTSIM_CACHE ? 'the cache folder (BOOTSIM_CACHE)' : env.XDG_CACHE_HOME ? 'the cache folder ($XDG_CACHE_HOME/bootsim)' : 'the cache folder (~/.cache/bootsim)';
  return checkOutputDir(cacheDir(env), what);
}

/** A path as the user should read it: relative to the repo when inside it. */
export function displayPath(p: string): string {
  const rel = path.relative(repoRoot, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}
