// harness/cli/bin.cjs runs the esbuild bundle dist/cli-<hash>/main.cjs with a V8 code cache per verb,
// and rebuilds it (harness/cli/build.js) only when an input of the last build is newer than that
// build. Checked on a throw-away tree with the real bin.cjs, stamp.cjs, build.js and esbuild and a one-verb main.ts.
import { afterAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../sim/base/paths.ts';

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

/** A tree with bin.cjs, stamp.cjs, build.js, package.json, tsconfig.json and a main.ts that prints `version`. */
function tree(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bootsim-bin-'));
  roots.push(root);
  mkdirSync(path.join(root, 'harness/cli'), { recursive: true });
  for (const f of ['bin.cjs', 'build.js', 'stamp.cjs']) copyFileSync(path.join(repoRoot, 'harness/cli', f), path.join(root, 'harness/cli', f));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bin-build-test', type: 'module', private: true }));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowImportingTsExtensions: true, noEmit: true } }));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeMain(root, 'v1', 0);
  return root;
}

/** main.ts, with its mtime `ahead` ms after now, so that it is newer than a build just made. */
function writeMain(root: string, version: string, ahead: number, body = `console.log('${version} ' + argv.join(' '))`): void {
  const f = path.join(root, 'harness/cli/main.ts');
  writeFileSync(f, `export const verbNames = ['sim'];\nexport async function main(argv: readonly string[]): Promise<number> { ${body}; return 0; }\n`);
  const t = new Date(Date.now() + ahead);
  utimesSync(f, t, t);
}

const run = (root: string, verb = 'sim') => spawnSync(process.execPath, [path.join(root, 'harness/cli/bin.cjs'), verb], { encoding: 'utf8' });
const builds = (root: string): string[] => readdirSync(path.join(root, 'dist')).filter((d) => d.startsWith('cli-')).sort();
const NOTICE = 'building (npm run build)';

describe('bin.cjs and the build', () => {
  test('bin_build_when_stale: expect a build with a notice when dist/ is missing, none when it is fresh, again after a source changes, and a build superseded over an hour ago removed', () => {
    const root = tree();
    const first = run(root);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(NOTICE);
    expect(first.stdout).toBe('v1 sim\n');
    const stamp = JSON.parse(readFileSync(path.join(root, 'dist/.built'), 'utf8')) as { dir: string; inputs: string[] };
    expect(stamp.inputs).toEqual(['harness/cli/main.ts']);
    expect(existsSync(path.join(root, 'dist', stamp.dir, 'main.cjs'))).toBe(true);

    const again = run(root);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('v1 sim\n');

    writeMain(root, 'v2', 5_000);
    const changed = run(root);
    expect(changed.stderr).toContain(NOTICE);
    expect(changed.stdout).toBe('v2 sim\n');
    // the superseded build stays for an hour (a process started from it may still write its code cache) …
    expect(builds(root)).toHaveLength(2);
    const v2 = builds(root).find((d) => d !== stamp.dir)!;
    // … and goes at the first build after that hour
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(path.join(root, 'dist', stamp.dir), old, old);
    writeMain(root, 'v3', 10_000);
    expect(run(root).stdout).toBe('v3 sim\n');
    expect(builds(root)).not.toContain(stamp.dir);
    expect(builds(root)).toContain(v2);
    expect(builds(root)).toHaveLength(2);
  }, 60_000);

  test('bin_build_failure: expect exit 2 and BUILD_FAILED with esbuild\'s message, and the next good source to build', () => {
    const root = tree();
    writeMain(root, 'v1', 0, 'console.log(');
    const bad = run(root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/BUILD_FAILED: the CLI build \(harness\/cli\/build\.js\) failed: .*main\.ts/s);
    expect(bad.stdout).toBe('');
    writeMain(root, 'v3', 5_000);
    expect(run(root).stdout).toBe('v3 sim\n');
  }, 60_000);

  test('bin_build_concurrent: expect two processes that both find the build stale to both run it, and one build folder', async () => {
    const root = tree();
    const start = () => new Promise<{ status: number | null; stdout: string }>((res) => {
      const c = spawn(process.execPath, [path.join(root, 'harness/cli/bin.cjs'), 'sim'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let stdout = '';
      c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      c.on('close', (status) => res({ status, stdout }));
    });
    const both = await Promise.all([start(), start()]);
    expect(both).toEqual([{ status: 0, stdout: 'v1 sim\n' }, { status: 0, stdout: 'v1 sim\n' }]);
    expect(builds(root)).toHaveLength(1);
    expect(readdirSync(path.join(root, 'dist')).filter((d) => d.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  test('bin_code_cache: expect a cache per verb after its first run, none for a misspelt verb, and a damaged cache refused by V8 and written again', () => {
    const root = tree();
    expect(run(root).stdout).toBe('v1 sim\n');
    const stamp = JSON.parse(readFileSync(path.join(root, 'dist/.built'), 'utf8')) as { dir: string };
    const cache = path.join(root, 'dist', stamp.dir, 'main.cjs.sim.v8cache');
    expect(statSync(cache).size).toBeGreaterThan(0);
    expect(run(root, 'simm').stdout).toBe('v1 simm\n');
    expect(existsSync(path.join(root, 'dist', stamp.dir, 'main.cjs.simm.v8cache'))).toBe(false);
    writeFileSync(cache, 'not a code cache');
    const damaged = run(root);
    expect(damaged.status).toBe(0);
    expect(damaged.stderr).toBe('');
    expect(damaged.stdout).toBe('v1 sim\n');
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
    expect(readdirSync(path.join(root, 'dist', stamp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
