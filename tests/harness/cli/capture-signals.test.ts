// Signals during a real capture process (issue 11): SIGTERM, SIGHUP and SIGINT each stop the QEMU
// process group (a grandchild too), remove the runner's bootsim-qemu-* folder, leave the previous
// golden byte-identical and exit 128 + the signal number. The capture runs in its own node process
// with the real runner; only the QEMU binary is a stand-in script that prints a boot start and hangs.
// The driver is bundled from the sources once (esbuild, as the CLI build does) and run by plain
// node: starting it through tsx compiled the capture code again in every child, over a second each.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { repoRoot } from '../../../sim/base/paths.ts';
import { SAMPLE, sampleProfile } from './helpers.ts';
import { scratchDir } from '../../scratch.ts';

// Inside the repo (dist/, never committed) so that the driver's packages resolve from node_modules.
const driver = path.join(repoRoot, 'dist', `.test-capture-driver-${process.pid}.mjs`);
beforeAll(async () => {
  await build({ entryPoints: [path.join(repoRoot, 'tests/harness/cli/fixtures/capture-driver.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', outfile: driver, logLevel: 'silent' });
}, 60_000);
afterAll(() => rmSync(driver, { force: true }));

// A killed process stays a zombie (state Z in /proc/<pid>/stat) until its parent reaps it: here
// the stand-in's parent, the driver, has exited, and the init that inherits it may reap only every
// second or so. A zombie runs nothing, so it counts as stopped; kill(pid, 0) alone would wait for the reap.
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false; // gone between the two looks
  }
};

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// The three signals run at once: each has its own folders, stand-in and child, and each spends its
// seconds waiting on the child's shutdown, not computing (one after another they took 15 s of wall).
describe('capture under signals', () => {
  test.concurrent.for([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('capture_%s: expect QEMU group killed, scratch removed, golden unchanged, exit %i', { timeout: 60_000 }, async ([sig, status], { expect }) => {
    const dir = scratchDir('bootsim-signals-');
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    const pids = path.join(dir, 'pids');
    // The stand-in: prints a boot's first lines, starts a grandchild, records both pids, hangs.
    const fake = path.join(dir, 'qemu-system-x86_64');
    writeFileSync(fake, `#!/bin/sh\necho "SeaBIOS (version 1.16.2-debian-1.16.2-1)"\necho "[    0.000000] Linux version 6.1.0-56-amd64"\nsleep 300 &\necho "$$ $!" > ${pids}\nwait\n`);
    chmodSync(fake, 0o755);
    const out = path.join(dir, 'out');
    mkdirSync(path.join(out, SAMPLE), { recursive: true });
    const before = { serial: 'previous serial\n', meta: 'profile: previous\n' };
    writeFileSync(path.join(out, SAMPLE, 'serial.log'), before.serial);
    writeFileSync(path.join(out, SAMPLE, 'meta.yaml'), before.meta);
    cpSync(sampleProfile, path.join(out, SAMPLE, 'profile.yaml'));

    const child = spawn(process.execPath, [driver, fake, sampleProfile, '--out', out, '--force'], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await until(() => existsSync(pids) && readFileSync(pids, 'utf8').trim().split(' ').length === 2, 30_000);
    const [qemuPid, grandchild] = readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
    expect(alive(qemuPid) && alive(grandchild)).toBe(true);
    expect(readdirSync(tmp).filter((d) => d.startsWith('bootsim-qemu-'))).toHaveLength(1);

    child.kill(sig);
    expect(await closed).toBe(status);
    await until(() => !alive(qemuPid) && !alive(grandchild), 5000);
    expect(readdirSync(tmp).filter((d) => d.startsWith('bootsim-qemu-'))).toEqual([]);
    expect(readFileSync(path.join(out, SAMPLE, 'serial.log'), 'utf8')).toBe(before.serial);
    expect(readFileSync(path.join(out, SAMPLE, 'meta.yaml'), 'utf8')).toBe(before.meta);
    expect(readdirSync(path.join(out, SAMPLE)).sort()).toEqual(['meta.yaml', 'profile.yaml', 'serial.log']);
    expect(err).toMatch(sig === 'SIGINT' ? /interrupted: stopping QEMU/ : new RegExp(`stopped by ${sig}: stopping QEMU`));
    expect(err).toMatch(/CAPTURE_ABORTED/);
  });
});
