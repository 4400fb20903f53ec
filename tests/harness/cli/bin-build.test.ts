// harness/cli/bin.js runs dist/ and rebuilds it only when a source is newer than the last build.
// Checked on a throw-away tree with the real bin.js, the real tsc and a one-verb main.ts.
import { afterAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../sim/base/paths.ts';

const root = mkdtempSync(path.join(tmpdir(), 'bootsim-bin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(version: string): void {
  mkdirSync(path.join(root, 'harness/cli'), { recursive: true });
  for (const d of ['sim', 'qemu-scripts']) mkdirSync(path.join(root, d), { recursive: true });
  copyFileSync(path.join(repoRoot, 'harness/cli/bin.js'), path.join(root, 'harness/cli/bin.js'));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: [] } }));
  writeFileSync(path.join(root, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, outDir: 'dist', rootDir: '.', rewriteRelativeImportExtensions: true }, include: ['harness/**/*.ts'] }));
  writeFileSync(path.join(root, 'harness/cli/main.ts'), `export async function main(argv: readonly string[]): Promise<number> { console.log('${version} ' + argv.join(' ')); return 0; }\n`);
}

const run = () => spawnSync(process.execPath, [path.join(root, 'harness/cli/bin.js'), 'sim'], { encoding: 'utf8' });

test('bin_build_when_stale: expect a build with a notice when dist/ is missing, none when it is fresh, and again after a source changes', () => {
  tree('v1');
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const first = run();
  expect(first.status).toBe(0);
  expect(first.stderr).toContain('building (npm run build)');
  expect(first.stdout).toBe('v1 sim\n');

  const again = run();
  expect(again.stderr).toBe('');
  expect(again.stdout).toBe('v1 sim\n');

  tree('v2');
  const later = new Date(Date.now() + 5_000);
  utimesSync(path.join(root, 'harness/cli/main.ts'), later, later);
  const changed = run();
  expect(changed.stderr).toContain('building (npm run build)');
  expect(changed.stdout).toBe('v2 sim\n');
}, 120_000);
