// The probe image: its entries, its /init (valid sh, every block in order, printk lowered first,
// poweroff last), deterministic bytes, and the committed facts and pin read through their schemas.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCpio } from '../../../qemu-scripts/initramfs/cpio.ts';
import { InitramfsError, loadBusyboxPin } from '../../../qemu-scripts/initramfs/busybox.ts';
import { STATE_BLOCKS, STATE_MARK, buildStateImage, factsEqual, imageFacts, initScript, readInitramfsFacts } from '../../../qemu-scripts/initramfs/image.ts';

const fake = Buffer.from('not really busybox');

describe('the state image', () => {
  test('entries: expect bin/busybox, /dev/console as char 5:1, /init executable, proc and sys mount points', () => {
    const recs = readCpio(buildStateImage(fake));
    const by = new Map(recs.map((r) => [r.name, r]));
    expect([...by.keys()].sort()).toEqual(['bin', 'bin/busybox', 'dev', 'dev/console', 'init', 'proc', 'sys']);
    expect(by.get('bin/busybox')!.data.equals(fake)).toBe(true);
    expect(by.get('bin/busybox')!.mode.toString(8)).toBe('100755');
    expect(by.get('init')!.mode.toString(8)).toBe('100755');
    expect([by.get('dev/console')!.mode.toString(8), by.get('dev/console')!.rdevmajor, by.get('dev/console')!.rdevminor]).toEqual(['20600', 5, 1]);
    expect(by.get('init')!.data.toString()).toBe(initScript());
  });

  test('deterministic: expect the same busybox to give the same image, another busybox another one', () => {
    expect(buildStateImage(fake).equals(buildStateImage(Buffer.from(fake)))).toBe(true);
    expect(buildStateImage(fake).equals(buildStateImage(Buffer.from('other')))).toBe(false);
  });

  test('init_order: expect printk lowered before the first marker, each block begun and ended in order, done, then poweroff -f', () => {
    const s = initScript();
    expect(s.startsWith('#!/bin/busybox sh\n')).toBe(true);
    const at = (t: string): number => {
      const i = s.indexOf(t);
      expect(i, t).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at('echo 1 > /proc/sys/kernel/printk')).toBeLessThan(at('@@bootsim-state begin'));
    expect(at('mount -t sysfs')).toBeLessThan(at('@@bootsim-state begin'));
    // the /proc files go through one loop over the list in STATE_BLOCKS' order
    expect(s).toContain(`for f in ${STATE_BLOCKS.slice(0, -1).join(' ')}; do`);
    expect(at(STATE_MARK.begin('/sys/kernel/slab'))).toBeLessThan(at(STATE_MARK.end('/sys/kernel/slab')));
    expect(at(STATE_MARK.end('/sys/kernel/slab'))).toBeLessThan(at(STATE_MARK.done));
    expect(at(STATE_MARK.done)).toBeLessThan(at('$b poweroff -f'));
    expect(s).toContain('[ -L "$d" ] && continue');
  });

  test('init_parses: expect /bin/sh -n to accept the script', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bootsim-init-'));
    try {
      writeFileSync(path.join(dir, 'init'), initScript());
      expect(() => execFileSync('sh', ['-n', path.join(dir, 'init')], { stdio: 'pipe' })).not.toThrow();
      writeFileSync(path.join(dir, 'bad'), `${initScript()}\nif then\n`);
      expect(() => execFileSync('sh', ['-n', path.join(dir, 'bad')], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('markers: expect the marker regex to read each marker line and no ordinary line', () => {
    expect(STATE_MARK.line.exec(STATE_MARK.begin('/proc/zoneinfo'))?.slice(1, 3)).toEqual(['begin', '/proc/zoneinfo']);
    expect(STATE_MARK.line.exec(STATE_MARK.failed('/sys/kernel/slab/kmalloc-8'))?.slice(1, 3)).toEqual(['failed', '/sys/kernel/slab/kmalloc-8']);
    expect(STATE_MARK.line.test(STATE_MARK.done)).toBe(true);
    expect(STATE_MARK.line.test('Node 0, zone      DMA')).toBe(false);
    expect(STATE_MARK.line.test(` ${STATE_MARK.done}`)).toBe(false);
  });
});

describe('the committed pin and facts', () => {
  test.each(['x86_64', 'i386'] as const)('facts_%s: expect the schema to accept them, the busybox of the pin, and the image size of a newc archive', (arch) => {
    const f = readInitramfsFacts(arch);
    const pin = loadBusyboxPin();
    expect('busybox' in f ? f.busybox : undefined).toEqual({ package: pin.package, version: pin.version, sha256: pin.builds[arch].sha256, binary: pin.builds[arch].binary.sha256 });
    expect(f.bytes % 4).toBe(0);
    // the archive around the binary: at most a few KB of headers and the /init script
    expect(f.bytes).toBeGreaterThan(1_000_000);
  });

  test('imageFacts: expect bytes and sha256 of the image, and factsEqual to see one changed byte', () => {
    const img = buildStateImage(fake);
    const bb = { arch: 'x86_64' as const, package: 'busybox-static', version: '1', debSha256: 'a'.repeat(64), binary: fake, binarySha256: 'b'.repeat(64) };
    const f = imageFacts('x86_64', img, bb);
    expect(f.bytes).toBe(img.length);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(factsEqual(f, imageFacts('x86_64', img, bb))).toBe(true);
    expect(factsEqual(f, imageFacts('x86_64', buildStateImage(Buffer.from('x')), bb))).toBe(false);
  });

  test('facts_missing: expect INITRAMFS_FACTS_INVALID naming the file when there is none', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bootsim-facts-'));
    try {
      expect(() => readInitramfsFacts('i386', dir)).toThrow(InitramfsError);
      expect(() => readInitramfsFacts('i386', dir)).toThrow(/initramfs\/state-i386\.yaml: expected the initramfs facts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
