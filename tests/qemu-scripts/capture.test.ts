import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { captureProfile, captureTimeoutMs, CaptureError, probeSpan, windowComplete, type QemuRunner, type CaptureOptions } from '../../qemu-scripts/capture.ts';
import type { PreparedImage } from '../../qemu-scripts/initramfs/image.ts';
import { serialDamage } from '../../harness/capture-damage.ts';
import type { MachineSpec } from '../../sim/types.ts';
import type { KernelEntry } from '../../sim/kernel-facts.ts';
import { scratchDir } from '../scratch.ts';

const spec: MachineSpec = { name: 'x86_64-6.1-pc-512m', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * 2 ** 20, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 'goldens/x86_64-6.1-pc-512m/profile.yaml' };
const kernel: KernelEntry = {
  id: '6.1-amd64', arch: 'x86_64', package: 'linux-image-6.1.0-56-amd64-unsigned', version: '6.1.192-2', suite: 'bookworm-security',
  sha256: '5'.repeat(64), release: '6.1.0-56-amd64', image: 'boot/vmlinuz', config: { package: 'p', sha256: '5'.repeat(64), path: 'boot/config' }, facts: undefined, file: 'k.yaml',
};
const versions = { qemu: '1:7.2+dfsg-7+deb12u18+b3', seabios: '1.16.2-1' };

const BOOT = [
  'SeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n',
  '[    0.000000] Linux version 6.1.0-56-amd64\n',
  '[    0.000000] BIOS-provided physical RAM map:\n',
  '[    0.108837] Built 1 zonelists, mobility grouping on.  Total pages: 128736\n',
  '[    0.125217] Memory: 207548K/523768K available (14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, 63644K reserved, 0K cma-reserved)\n',
  '[    0.137305] SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1\n',
  '[    1.996180] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n',
];

/** The same boot with bytes lost on the serial line, as seen under host load: "Resering", "Ttal pages". */
const DAMAGED = BOOT.map((l) => l.replace('Total pages', 'Ttal pages'));

/** A runner that replays a different boot on each call. */
function sequence(boots: ReadonlyArray<readonly string[]>): QemuRunner & { calls: number } {
  const r = (async (inv, hooks) => {
    const boot = boots[Math.min(r.calls, boots.length - 1)]!;
    r.calls++;
    return fake(boot)(inv, hooks);
  }) as QemuRunner & { calls: number };
  r.calls = 0;
  return r;
}

/** A runner that replays chunks, then behaves as told. */
function fake(chunks: readonly string[], then: 'exit' | 'throw' | 'hang' = 'exit'): QemuRunner & { calls: number } {
  const r = (async (_inv, hooks) => {
    r.calls++;
    for (const c of chunks) {
      hooks.onData(Buffer.from(c, 'latin1'));
      await new Promise((res) => setTimeout(res, 1));
    }
    if (then === 'throw') throw new Error('injected: QEMU died mid-capture');
    // an abort that came while the chunks were replayed (a loaded machine) has already fired: do not wait for it
    if (then === 'hang' && !hooks.signal.aborted) await new Promise<void>((res) => hooks.signal.addEventListener('abort', () => res(), { once: true }));
    return { exitCode: 0, stderr: '' };
  }) as QemuRunner & { calls: number };
  r.calls = 0;
  return r;
}

function setup(): { dir: string; opts: (o: Partial<CaptureOptions>) => CaptureOptions; golden: string } {
  const dir = scratchDir('bootsim-capture-');
  const golden = path.join(dir, spec.name);
  return { dir, golden, opts: (o) => ({ goldensDir: dir, versions, damage: serialDamage, now: () => new Date('2026-11-21T00:00:00Z'), ...o }) };
}

function seedGolden(golden: string): { serial: Buffer; meta: Buffer } {
  mkdirSync(golden, { recursive: true });
  writeFileSync(path.join(golden, 'serial.log'), 'previous serial\n');
  writeFileSync(path.join(golden, 'meta.yaml'), 'profile: previous\n');
  return { serial: readFileSync(path.join(golden, 'serial.log')), meta: readFileSync(path.join(golden, 'meta.yaml')) };
}

function expectUntouched(golden: string, before: { serial: Buffer; meta: Buffer }): void {
  expect(readFileSync(path.join(golden, 'serial.log')).equals(before.serial)).toBe(true);
  expect(readFileSync(path.join(golden, 'meta.yaml')).equals(before.meta)).toBe(true);
  expect(readdirSync(golden).sort()).toEqual(['meta.yaml', 'serial.log']);
}

describe('captureProfile', () => {
  it('capture_complete_boot: writes the raw log byte for byte and full provenance', async () => {
    const { golden, opts } = setup();
    const r = await captureProfile(spec, kernel, '/cache/vmlinuz', opts({ runner: fake(BOOT) }));
    expect(r.status).toBe('captured');
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toBe(BOOT.join(''));
    const meta = parse(readFileSync(path.join(golden, 'meta.yaml'), 'utf8'));
    expect(meta).toMatchObject({ profile: spec.name, ended: 'panic', capturedAt: '2026-11-21T00:00:00.000Z', qemu: { version: versions.qemu }, seabios: { version: versions.seabios }, kernel: { id: '6.1-amd64', sha256: kernel.sha256 }, cmdline: 'console=ttyS0 nokaslr panic=-1 loglevel=8' });
    expect(meta.argv).toContain('<vmlinuz>');
    expect(meta.argv).not.toContain('/cache/vmlinuz');
    expect(Object.keys(meta.markersMs).sort()).toEqual(['end', 'memory', 'panic', 'slub']);
  });

  it('capture_up_to_date: skips when profile, kernel and QEMU are unchanged, re-captures with force', async () => {
    const { opts } = setup();
    const runner = fake(BOOT);
    await captureProfile(spec, kernel, '/cache/vmlinuz', opts({ runner }));
    expect((await captureProfile(spec, kernel, '/cache/vmlinuz', opts({ runner }))).status).toBe('up-to-date');
    expect(runner.calls).toBe(1);
    expect((await captureProfile(spec, kernel, '/cache/vmlinuz', opts({ runner, versions: { ...versions, qemu: 'newer' } }))).status).toBe('captured');
    expect((await captureProfile(spec, kernel, '/cache/vmlinuz', opts({ runner, force: true }))).status).toBe('captured');
    expect(runner.calls).toBe(3);
  });

  it('capture_failure_mid_boot: QEMU dying mid-capture leaves the previous golden byte-identical', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    await expect(captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT.slice(0, 3), 'throw') }))).rejects.toThrow('injected');
    expectUntouched(golden, before);
  });

  it('capture_early_panic: a panic before the window is complete is a capture error, not a golden', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const early = [BOOT[0]!, BOOT[1]!, '[    0.010000] Kernel panic - not syncing: Out of memory\n'];
    const err = await captureProfile(spec, kernel, '/v', opts({ runner: fake(early) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).code).toBe('CAPTURE_EARLY_PANIC');
    expect((err as CaptureError).message).toContain('before the memory-init window was complete');
    expectUntouched(golden, before);
  });

  it('capture_timeout_before_window: a boot that never completes the window is an error', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const err = await captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT.slice(0, 3), 'hang'), timeoutMs: 50 })).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_TIMEOUT');
    expectUntouched(golden, before);
  });

  it('capture_hang_after_window: an oops-and-hang after SLUB keeps the log, ended: timeout', async () => {
    const { golden, opts } = setup();
    const oops = [...BOOT.slice(0, 6), '[    2.944534] BUG: unable to handle page fault for address: fffab000\n'];
    const r = await captureProfile(spec, kernel, '/v', opts({ runner: fake(oops, 'hang'), idleAfterWindowMs: 30 }));
    expect(r.meta.ended).toBe('timeout');
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toBe(oops.join(''));
  });

  it('capture_busy_after_window: a boot that keeps printing after SLUB (SMP bring-up of many vCPUs) is kept until its panic, with the late lines (5.10 prints "software IO TLB: mapped" there)', async () => {
    const { golden, opts } = setup();
    const late = '[    2.931564] software IO TLB: mapped [mem 0x00000000bbfe0000-0x00000000bffe0000] (64MB)\n';
    const chatty: QemuRunner = async (_inv, hooks) => {
      for (const c of BOOT.slice(0, 6)) hooks.onData(Buffer.from(c, 'latin1'));
      for (let n = 0; n < 40; n++) {
        hooks.onData(Buffer.from(`[    1.${String(n).padStart(6, '0')}] smpboot: Booting Node 0 Processor ${n + 1} APIC 0x${(n + 1).toString(16)}\n`, 'latin1'));
        await new Promise((res) => setTimeout(res, 5));
      }
      hooks.onData(Buffer.from(late + BOOT[6]!, 'latin1'));
      return { exitCode: 0, stderr: '' };
    };
    const r = await captureProfile(spec, kernel, '/v', opts({ runner: chatty, idleAfterWindowMs: 20_000 }));
    expect(r.meta.ended).toBe('panic');
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toContain(late);
  });

  it('capture_panic_without_reboot: a kernel that loops after its panic (2.6.11: panic=-1 does not reboot) is stopped after idleAfterPanicMs, ended: panic, the log kept to the panic', async () => {
    const { golden, opts } = setup();
    // idleAfterWindowMs far beyond the test's time: only the panic's shorter idle can stop this boot
    const r = await captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT, 'hang'), idleAfterWindowMs: 600_000, idleAfterPanicMs: 30 }));
    expect(r.meta.ended).toBe('panic');
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toBe(BOOT.join(''));
  });

  it('capture_hang_after_window_no_panic: the panic idle applies only after the panic line; before it a silent boot waits idleAfterWindowMs and ends as a timeout', async () => {
    const { opts } = setup();
    const r = await captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT.slice(0, 6), 'hang'), idleAfterWindowMs: 40, idleAfterPanicMs: 600_000 }));
    expect(r.meta.ended).toBe('timeout');
  });

  it('capture_timeout_scales_with_cpus: 180 s up to 8 vCPUs, 10 s more per vCPU past 8', () => {
    expect([1, 8, 9, 64, 255].map(captureTimeoutMs)).toEqual([180_000, 180_000, 190_000, 740_000, 2_650_000]);
  });

  it('capture_interrupted: Ctrl-C mid-boot stops QEMU and leaves the previous golden byte-identical', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 20);
    const err = await captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT.slice(0, 5), 'hang'), signal: ctl.signal })).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_ABORTED');
    expectUntouched(golden, before);
  });

  it('capture_damaged_then_intact: a boot that lost serial bytes is booted again, and only the intact one is kept', async () => {
    const { golden, opts } = setup();
    const runner = sequence([DAMAGED, BOOT]);
    const retries: string[] = [];
    const r = await captureProfile(spec, kernel, '/v', opts({ runner, onRetry: (m) => retries.push(m) }));
    expect(r.status).toBe('captured');
    expect(runner.calls).toBe(2);
    expect(retries[0]).toMatch(/^attempt 1 of 3 lost serial bytes .*zonelists\.built/);
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toBe(BOOT.join(''));
  });

  it('capture_damaged_cmdline_echo: a command-line echo that lost bytes ("nokasr") is damage too', async () => {
    const { opts } = setup();
    const echo = (t: string): string[] => [...BOOT.slice(0, 3), `[    0.100000] Kernel command line: ${t}\n`, ...BOOT.slice(3)];
    const runner = sequence([echo('console=ttyS0 nokasr panic=-1 loglevel=8'), echo('console=ttyS0 nokaslr panic=-1 loglevel=8')]);
    const retries: string[] = [];
    await captureProfile(spec, kernel, '/v', opts({ runner, onRetry: (m) => retries.push(m) }));
    expect(runner.calls).toBe(2);
    expect(retries[0]).toContain('expected the echoed "Kernel command line: console=ttyS0 nokaslr panic=-1 loglevel=8"');
  });

  it('capture_damaged_always: every attempt damaged is CAPTURE_DAMAGED and the previous golden stays', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const runner = sequence([DAMAGED]);
    const err = await captureProfile(spec, kernel, '/v', opts({ runner, attempts: 2 })).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_DAMAGED');
    expect(runner.calls).toBe(2);
    expectUntouched(golden, before);
  });

  it('capture_memblock_debug: writes serial-memblock.log and leaves serial.log alone', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const r = await captureProfile(spec, kernel, '/v', opts({ runner: fake(BOOT), memblockDebug: true }));
    expect(r.meta.cmdline).toMatch(/ memblock=debug$/);
    expect(readdirSync(golden).sort()).toEqual(['meta-memblock.yaml', 'meta.yaml', 'serial-memblock.log', 'serial.log']);
    expect(readFileSync(path.join(golden, 'serial.log')).equals(before.serial)).toBe(true);
  });
});

describe('captureProfile with probe: state', () => {
  const probeSpec: MachineSpec = { ...spec, probe: 'state' };
  const image: PreparedImage = {
    file: '/cache/initramfs/abc.cpio',
    facts: { arch: 'x86_64', bytes: 1984216, sha256: 'c'.repeat(64), busybox: { package: 'busybox-static', version: '1:1.35.0-4+deb12u1+b1', sha256: 'd'.repeat(64), binary: 'e'.repeat(64) } },
  };
  const KERNEL_PART = [...BOOT.slice(0, 6), '[    2.000000] Run /init as init process\r\n'];
  const STATE = [
    '@@bootsim-state begin /proc/meminfo@@\r\n',
    'MemTotal:         482452 kB\r\n',
    '@@bootsim-state end /proc/meminfo@@\r\n',
    '@@bootsim-state done@@\r\n',
  ];
  const TAIL = ['[    8.906485] reboot: Power down\r\n'];
  const popts = (o: Partial<CaptureOptions>, base: (o: Partial<CaptureOptions>) => CaptureOptions): CaptureOptions => base({ stateImage: image, ...o });

  it('probe_split: serial.log is the boot before the first marker, state.log the blocks to the done line; meta records both and the image', async () => {
    const { golden, opts } = setup();
    const r = await captureProfile(probeSpec, kernel, '/cache/vmlinuz', popts({ runner: fake([...KERNEL_PART, ...STATE, ...TAIL]) }, opts));
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).toBe(KERNEL_PART.join(''));
    expect(readFileSync(path.join(golden, 'state.log'), 'latin1')).toBe(STATE.join(''));
    expect(r.meta.ended).toBe('exit');
    expect(r.meta.state).toMatchObject({ file: 'state.log', bytes: STATE.join('').length, initramfs: image.facts });
    expect(r.meta.argv).toContain('<initrd>');
    expect(r.meta.argv).not.toContain(image.file);
    expect(r.meta.argv.indexOf('-initrd')).toBe(r.meta.argv.indexOf('<initrd>') - 1);
    expect(readdirSync(golden).sort()).toEqual(['meta.yaml', 'serial.log', 'state.log']);
  });

  it('probe_up_to_date: unchanged inputs skip; another image sha256 re-captures; a changed state.log re-captures', async () => {
    const { golden, opts } = setup();
    const runner = fake([...KERNEL_PART, ...STATE, ...TAIL]);
    await captureProfile(probeSpec, kernel, '/v', popts({ runner }, opts));
    expect((await captureProfile(probeSpec, kernel, '/v', popts({ runner }, opts))).status).toBe('up-to-date');
    expect((await captureProfile(probeSpec, kernel, '/v', popts({ runner, stateImage: { ...image, facts: { ...image.facts, sha256: 'f'.repeat(64) } } }, opts))).status).toBe('captured');
    writeFileSync(path.join(golden, 'state.log'), 'edited\n');
    expect((await captureProfile(probeSpec, kernel, '/v', popts({ runner, stateImage: { ...image, facts: { ...image.facts, sha256: 'f'.repeat(64) } } }, opts))).status).toBe('captured');
    expect(runner.calls).toBe(3);
  });

  it('probe_not_done: a boot without the done marker is CAPTURE_PROBE_INCOMPLETE and nothing is written', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const panicked = [...KERNEL_PART, ...STATE.slice(0, 2), '[    3.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\r\n'];
    const err = await captureProfile(probeSpec, kernel, '/v', popts({ runner: fake(panicked) }, opts)).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_PROBE_INCOMPLETE');
    expect((err as CaptureError).message).toContain('did not print "@@bootsim-state done@@"');
    expectUntouched(golden, before);
  });

  it('probe_state_invalid: a state.log the check refuses is CAPTURE_STATE_INVALID and nothing is written', async () => {
    const { golden, opts } = setup();
    const before = seedGolden(golden);
    const err = await captureProfile(probeSpec, kernel, '/v', popts({ runner: fake([...KERNEL_PART, ...STATE]), stateCheck: (s) => (s.includes('MemTotal') ? 'STATE_BAD_LINE: injected' : undefined) }, opts)).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_STATE_INVALID');
    expect((err as CaptureError).message).toContain('STATE_BAD_LINE: injected');
    expectUntouched(golden, before);
  });

  it('probe_image_missing: probe: state without an image is CAPTURE_PROBE_IMAGE_MISSING before QEMU starts', async () => {
    const { opts } = setup();
    const runner = fake(BOOT);
    const err = await captureProfile(probeSpec, kernel, '/v', opts({ runner })).catch((e: unknown) => e);
    expect((err as CaptureError).code).toBe('CAPTURE_PROBE_IMAGE_MISSING');
    expect(runner.calls).toBe(0);
  });

  it('probe_until_window: --until window stops before /init: serial.log only, ended: window, no probe error', async () => {
    const { golden, opts } = setup();
    // QEMU stops sending once it is stopped
    const runner: QemuRunner = async (_inv, hooks) => {
      for (const c of [...KERNEL_PART, ...STATE]) {
        if (hooks.signal.aborted) break;
        hooks.onData(Buffer.from(c, 'latin1'));
        await new Promise((res) => setTimeout(res, 1));
      }
      return { exitCode: 0, stderr: '' };
    };
    const r = await captureProfile(probeSpec, kernel, '/v', popts({ runner, onLine: (l) => (l.includes('SLUB: HWalign') ? 'stop' : undefined) }, opts));
    expect(r.meta.ended).toBe('window');
    expect(r.meta.state).toBeUndefined();
    expect(readdirSync(golden).sort()).toEqual(['meta.yaml', 'serial.log']);
    expect(readFileSync(path.join(golden, 'serial.log'), 'latin1')).not.toContain('@@bootsim-state');
  });

  it('probeSpan: the first begin marker at a line start to the end of the done line; none without done', () => {
    const raw = Buffer.from(['x @@bootsim-state begin /proc/meminfo@@ inside a line\n', ...STATE, ...TAIL].join(''), 'latin1');
    const span = probeSpan(raw)!;
    expect(raw.subarray(span.start, span.end).toString('latin1')).toBe(STATE.join(''));
    expect(probeSpan(Buffer.from(STATE.slice(0, 3).join('')))).toBeUndefined();
  });
});

describe('windowComplete', () => {
  it('no_slub_kernel: expect Memory: alone to complete the window of a kernel without SLUB (2.6.11), and not of one with it', () => {
    expect(windowComplete({ memory: 10 }, false)).toBe(true);
    expect(windowComplete({ memory: 10 })).toBe(false);
    expect(windowComplete({ memory: 10, slub: 12 })).toBe(true);
    expect(windowComplete({ slub: 12 }, false)).toBe(false);
  });
});
