// One spawn through the real entry point, so that the bin, the verb table and the exit code are wired.
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../sim/base/paths.ts';
import { sampleProfile, tempFile } from './helpers.ts';

const bin = path.join(repoRoot, 'harness/cli/bin.cjs');

test('bin_check_json: expect one JSON object on stdout and exit 1 or 0', () => {
  const r = spawnSync(process.execPath, [bin, 'check', sampleProfile, '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect([0, 1]).toContain(r.status);
  expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'x86_64-6.1-pc-512m' });
}, 30_000);

test('bin_check_corrupt_golden: expect exit 2 and the code on stderr', () => {
  const r = spawnSync(process.execPath, [bin, 'check', sampleProfile, '--golden', tempFile('serial.log', '')], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('GOLDEN_EMPTY');
}, 30_000);

test('bin_package_entry: expect package.json "bin" to name bin.cjs, and the old bin.js (still linked from npx caches made before the move) to run the same verb with the same output', async () => {
  const { readFileSync } = await import('node:fs');
  const pkg: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  expect(pkg).toMatchObject({ bin: { bootsim: 'harness/cli/bin.cjs' } });
  const viaCjs = spawnSync(process.execPath, [bin, 'sim', sampleProfile], { encoding: 'utf8' });
  const viaOld = spawnSync(process.execPath, [path.join(repoRoot, 'harness/cli/bin.js'), 'sim', sampleProfile], { encoding: 'utf8' });
  expect(viaCjs.status).toBe(0);
  expect(viaOld.status).toBe(0);
  expect(viaOld.stdout).toBe(viaCjs.stdout);
  expect(viaCjs.stdout).toContain('Memory:');
}, 30_000);
