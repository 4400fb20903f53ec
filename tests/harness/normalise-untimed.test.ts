// harness/normalise.ts on a log without printk timestamps (a kernel built without CONFIG_PRINTK_TIME,
// like the seeds' 3.0.1 i386 build): the banner starts the kernel's output, each raw line is a record.
import { describe, expect, test } from 'vitest';
import { normaliseLog, windowLines } from '../../harness/normalise.ts';

const FIRMWARE = '\x1bcSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n\r\nBooting from ROM..';
const UNTIMED = [
  `${FIRMWARE}\x1bcLinux version 3.0.1 (root@vm) (gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) ) #1 Tue Dec 1 08:54:41 UTC 2026\r`,
  'BIOS-provided physical RAM map:\r',
  ' BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)\r',
  '\r',
  'Memory: 257328k/262016k available (1142k kernel code, 4236k reserved, 353k data, 216k init, 0k highmem)\r',
  'SLUB: Genslabs=15, HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\r',
  'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(254,0)\r',
  '',
].join('\n');

describe('normaliseLog without timestamps', () => {
  const log = normaliseLog(UNTIMED, 'untimed.log');
  test('untimed_kernel_start: expect the kernel to start at the banner, inside the firmware\'s last raw line', () => {
    expect(log.kernelStartLine).toBe(3);
    expect(log.firmwareLineCount).toBe(2);
    expect(log.lines[0]!.text).toMatch(/^Linux version 3\.0\.1 /);
  });
  test('untimed_records: expect one record per raw line, leading spaces kept, blank lines dropped, no ts, no problems', () => {
    expect(log.lines.map((l) => l.text).slice(1, 3)).toEqual(['BIOS-provided physical RAM map:', ' BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)']);
    expect(log.lines.every((l) => l.ts === undefined)).toBe(true);
    expect(log.lines).toHaveLength(6);
    expect(log.problems).toEqual([]);
  });
  test('untimed_window: expect the window to close on SLUB after the "%luk/%luk" Memory: line, and the VFS panic to end it', () => {
    expect(log.windowComplete).toBe(true);
    expect(windowLines(log).map((l) => l.text)).toHaveLength(4);
    expect(log.status).toBe('complete');
  });
  test('timestamped_unchanged: expect one timestamp anywhere to keep the timestamped path (untimed lines before it are firmware)', () => {
    const mixed = normaliseLog(UNTIMED.replace('BIOS-provided', '[    0.000000] BIOS-provided'), 'mixed.log');
    expect(mixed.kernelStartLine).toBe(4);
    expect(mixed.lines[0]!.text).toBe('BIOS-provided physical RAM map:');
    expect(mixed.problems.some((p) => p.code === 'NO_TIMESTAMP')).toBe(true);
  });
  test('no_banner: expect a log with neither timestamps nor a banner to have no kernel lines', () => {
    expect(normaliseLog('SeaBIOS\nBooting from ROM..\n', 'fw.log').status).toBe('empty');
  });
});

describe('normaliseLog of a kernel without SLUB', () => {
  // 2.6.11 (mm/slab.c only, sim/traits.ts slubAllocator): the window ends at mem_init()'s Memory: line
  const v2611 = UNTIMED.replace('Linux version 3.0.1', 'Linux version 2.6.11').replace(/SLUB: [^\r]*\r\n/, '');
  test('no_slub_window: expect a 2.6.11 banner to close the window at Memory:', () => {
    const log = normaliseLog(v2611, '2611.log');
    expect(log.windowComplete).toBe(true);
    expect(windowLines(log).at(-1)!.text).toMatch(/^Memory: /);
  });
  test('slub_kernel_still_needs_slub: expect the same lines under a 3.0.1 banner to leave the window open', () => {
    const log = normaliseLog(v2611.replace('Linux version 2.6.11', 'Linux version 3.0.1'), '30.log');
    expect(log.windowComplete).toBe(false);
    expect(log.problems.some((p) => p.code === 'WINDOW_INCOMPLETE')).toBe(true);
  });
});
