import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { recordEvidence, volatileValues } from '../../harness/evidence-run.ts';
import type { QemuRunner } from '../../qemu-scripts/capture.ts';
import { EvidenceError, readVolatileEvidence, sha256Of } from '../../harness/catalog/evidence.ts';
import { deriveTolerance, volatileFields } from '../../harness/catalog/volatile.ts';
import type { MachineSpec } from '../../sim/types.ts';
import type { KernelEntry } from '../../sim/kernel-facts.ts';
import { scratchDir } from '../scratch.ts';

// A real 6.12 boot, whose Memory: line is printed after SLUB; each replay gets another "available".
const LOG = readFileSync(fileURLToPath(new URL('../fixtures/logs/memory-after-slub-6.12-x86_64-pc-512m.log', import.meta.url)), 'latin1');
const withAvailable = (k: number): string => LOG.replace(/Memory: 464448K\//, `Memory: ${k}K/`);

const kernel: KernelEntry = {
  id: '6.12-amd64', arch: 'x86_64', package: 'linux-image-6.12.115+deb12-amd64-unsigned', version: '6.12.115-2~deb12u1', suite: 'bookworm-security',
  sha256: '6'.repeat(64), release: '6.12.115+deb12-amd64', image: 'boot/vmlinuz', config: { package: 'p', sha256: '6'.repeat(64), path: 'boot/config' }, facts: undefined, file: 'k.yaml',
};
const versions = { qemu: '1:7.2+dfsg-7+deb12u18+b3', seabios: '1.16.2-1' };

/** Replays one boot per call, from the list. */
function replays(values: readonly number[]): QemuRunner & { calls: number } {
  const r = (async (_inv, hooks) => {
    const boot = withAvailable(values[r.calls]!);
    r.calls++;
    hooks.onData(Buffer.from(boot, 'latin1'));
    return { exitCode: 0, stderr: '' };
  }) as QemuRunner & { calls: number };
  r.calls = 0;
  return r;
}

function setup(profileText = 'kernel: 6.12-amd64\nmachine: pc\nmemory: 512M\ncpus: 2\n'): { spec: MachineSpec; dir: string } {
  const src = scratchDir('bootsim-evsrc-');
  mkdirSync(path.join(src, 'ev-512m'));
  const file = path.join(src, 'ev-512m', 'profile.yaml');
  writeFileSync(file, profileText);
  const spec: MachineSpec = { name: 'ev-512m', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 512 * 2 ** 20, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file };
  return { spec, dir: scratchDir('bootsim-evidence-') };
}

describe('recordEvidence', () => {
  test('record_boots: expect one entry per boot with its value, date, kernel and QEMU, and the profile copied beside them', async () => {
    const { spec, dir } = setup();
    const seen: number[] = [];
    const r = await recordEvidence(spec, kernel, '/cache/vmlinuz', {
      boots: 3, dir, versions, runner: replays([464448, 464280, 464612]), now: () => new Date('2026-12-01T10:00:00Z'),
      onBoot: (_i, b) => seen.push(b.values['mem.summary.available']!),
    });
    expect(r.added).toBe(3);
    expect(seen).toEqual([464448, 464280, 464612]);
    const [ev] = readVolatileEvidence(dir);
    expect(ev!.boots).toHaveLength(3);
    expect(ev!.boots[0]).toMatchObject({ date: '2026-12-01T10:00:00.000Z', qemu: versions.qemu, seabios: versions.seabios, kernelPackage: kernel.package, kernelVersion: kernel.version, kernelSha256: kernel.sha256, profileSha256: sha256Of(readFileSync(spec.file)) });
    expect(readFileSync(path.join(dir, 'ev-512m', 'profile.yaml'), 'utf8')).toBe(readFileSync(spec.file, 'utf8'));
    // And a bound derived from it: spread 332, 3 boots → margin 332 → 664.
    expect(deriveTolerance(volatileFields[0]!, [ev!]).tolerance).toBe(664);
  });

  test('record_appends: expect a second run to add to the boots already there', async () => {
    const { spec, dir } = setup();
    await recordEvidence(spec, kernel, '/v', { boots: 1, dir, versions, runner: replays([464448]) });
    await recordEvidence(spec, kernel, '/v', { boots: 2, dir, versions, runner: replays([464000, 464100]) });
    expect(readVolatileEvidence(dir)[0]!.boots.map((b) => b.values['mem.summary.available'])).toEqual([464448, 464000, 464100]);
  });

  test('record_refuses_changed_profile: expect EVIDENCE_PROFILE_MISMATCH, the evidence left as it was', async () => {
    const { spec, dir } = setup();
    await recordEvidence(spec, kernel, '/v', { boots: 1, dir, versions, runner: replays([464448]) });
    const before = readFileSync(path.join(dir, 'ev-512m', 'boots.yaml'));
    writeFileSync(spec.file, 'kernel: 6.12-amd64\nmachine: pc\nmemory: 512M\ncpus: 1\n');
    const runner = replays([1]);
    await expect(recordEvidence(spec, kernel, '/v', { boots: 1, dir, versions, runner })).rejects.toThrow(EvidenceError);
    expect(runner.calls).toBe(0);
    expect(readFileSync(path.join(dir, 'ev-512m', 'boots.yaml')).equals(before)).toBe(true);
  });

  test('record_keeps_finished_boots: expect the boots before a failure kept', async () => {
    const { spec, dir } = setup();
    let calls = 0;
    const runner: QemuRunner = async (inv, hooks) => {
      if (calls++ === 1) return { exitCode: 1, stderr: 'boom' };
      return replays([464448])(inv, hooks);
    };
    await expect(recordEvidence(spec, kernel, '/v', { boots: 3, dir, versions, runner })).rejects.toMatchObject({ code: 'CAPTURE_QEMU_FAILED' });
    expect(existsSync(path.join(dir, 'ev-512m', 'boots.yaml'))).toBe(true);
    expect(readVolatileEvidence(dir)[0]!.boots).toHaveLength(1);
  });
});

describe('volatileValues', () => {
  test('values_6_12: expect the late Memory: available', () => {
    expect(volatileValues(Buffer.from(LOG, 'latin1'), 'x', '6.12-amd64')).toEqual({ 'mem.summary.available': 464448 });
  });
  test('values_6_1: expect none, as nothing is volatile there', () => {
    expect(volatileValues(Buffer.from(LOG, 'latin1'), 'x', '6.1-amd64')).toEqual({});
  });
});
