// The normaliser replays recorded logs: normal, truncated, panicked, not UTF-8, escapes.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  GoldenError,
  normaliseLog,
  normaliseSimLines,
  normaliseText,
  requireUsableGolden,
  splitRaw,
  splitRawByLine,
  windowLines,
  type GoldenCode,
  type LogStatus,
} from '../../harness/normalise.ts';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url));
const read = (name: string) => normaliseLog(fixture(name), `tests/fixtures/logs/${name}`);

describe('normaliseLog on recorded logs', () => {
  test.each([
    ['normal-6.1-x86_64-pc-512m.log', 'complete', true],
    ['memory-after-slub-6.12-x86_64-pc-512m.log', 'complete', true],
    ['escapes-crlf-6.1-x86_64-pc-8g.log', 'complete', true],
    ['non-utf8-6.1-x86_64-pc-512m.log', 'complete', true],
    ['truncated-6.1-x86_64-pc-512m.log', 'truncated', false],
    ['panicked-early-6.1-x86_64.log', 'panicked', false],
    ['oops-after-window-6.1-i386-q35-4g.log', 'truncated', true],
    ['firmware-only.log', 'empty', false],
    ['binary.bin', 'binary', false],
  ] as [string, LogStatus, boolean][])('%s: expect status %s, window complete %s', (name, status, windowComplete) => {
    const log = read(name);
    expect(log.status).toBe(status);
    expect(log.windowComplete).toBe(windowComplete);
  });

  test('normal: expect firmware noise dropped, timestamps parsed, raw line numbers kept', () => {
    const log = read('normal-6.1-x86_64-pc-512m.log');
    expect(log.problems).toEqual([]);
    expect(log.firmwareLineCount).toBe(9);
    expect(log.kernelStartLine).toBe(10);
    expect(log.lines[0]).toEqual({ lineNo: 10, ts: 0, text: expect.stringMatching(/^Linux version 6\.1\.0-56-amd64 /) });
    expect(log.lines[2]).toEqual({ lineNo: 12, ts: 0, text: 'BIOS-provided physical RAM map:' });
    expect(log.window).toMatchObject({ startLine: 12, endLine: 91, complete: true });
    expect(windowLines(log).at(-1)?.text).toMatch(/^SLUB: /);
    expect(log.lines.every((l) => !/[\r\x1b]/.test(l.text))).toBe(true);
    // printk prints the trailing space; it is kept.
    expect(log.lines.find((l) => l.text.startsWith('pcpu-alloc: [0]'))?.text).toBe('pcpu-alloc: [0] 0 1 ');
    expect(log.panic?.text).toMatch(/^Kernel panic - not syncing: VFS: Unable to mount root fs/);
  });

  test('timestamps: expect seconds as numbers, even when they go backwards', () => {
    const log = read('memory-after-slub-6.12-x86_64-pc-512m.log');
    const i = log.lines.findIndex((l) => l.text.startsWith('calibrate_delay_direct()'));
    expect(log.lines[i]!.ts).toBe(0.036324);
    expect(log.lines[i - 1]!.ts).toBeGreaterThan(0.036324);
  });

  test('6.12: expect the window to run past SLUB to the Memory: line', () => {
    const log = read('memory-after-slub-6.12-x86_64-pc-512m.log');
    const w = windowLines(log);
    expect(w.at(-1)?.text).toMatch(/^Memory: 464448K\/523768K available/);
    expect(w.some((l) => l.text.startsWith('SLUB: '))).toBe(true);
    expect(log.window?.endLine).toBe(155);
  });

  test('escapes: expect the first kernel line cut out of the firmware line it shares, OSC and BEL removed', () => {
    const log = read('escapes-crlf-6.1-x86_64-pc-8g.log');
    expect(log.kernelStartLine).toBe(9);
    expect(log.lines[0]!.text).toMatch(/^Linux version 6\.1\.0-56-amd64 /);
    expect(log.lines.find((l) => l.lineNo === 20)?.text).toBe('NX (Execute Disable) protection: active');
    expect(log.lines.find((l) => l.lineNo === 21)?.text).toBe('SMBIOS 2.8 present.');
    expect(log.problems).toEqual([{ line: 21, code: 'CONTROL_CHARS', message: 'control characters removed' }]);
  });

  test('non-UTF-8: expect replacement characters and one problem per bad line, no throw', () => {
    const log = read('non-utf8-6.1-x86_64-pc-512m.log');
    expect(log.problems.map((p) => [p.line, p.code])).toEqual([
      [31, 'INVALID_UTF8'],
      [32, 'INVALID_UTF8'],
    ]);
    expect(log.lines.find((l) => l.lineNo === 31)?.text).toContain('BO\ufffd\ufffdCHS');
  });

  test('truncated: expect a WINDOW_INCOMPLETE problem at the last line', () => {
    const log = read('truncated-6.1-x86_64-pc-512m.log');
    expect(log.panic).toBeUndefined();
    expect(log.problems).toEqual([expect.objectContaining({ line: 60, code: 'WINDOW_INCOMPLETE' })]);
  });

  test('panicked early: expect the panic recorded with its line', () => {
    const log = read('panicked-early-6.1-x86_64.log');
    expect(log.panic).toEqual({ lineNo: 56, text: 'Kernel panic - not syncing: alloc_node_data: Cannot allocate 172032 bytes for node 0 data' });
    expect(log.problems.map((p) => p.code)).toEqual(['PANIC', 'WINDOW_INCOMPLETE']);
  });

  test('oops after the window: expect OOPS problems and QEMU\'s own line kept as NO_TIMESTAMP', () => {
    const log = read('oops-after-window-6.1-i386-q35-4g.log');
    expect(log.problems.filter((p) => p.code === 'OOPS').length).toBeGreaterThan(0);
    const last = log.lines.at(-1)!;
    expect(last).toMatchObject({ ts: undefined, text: expect.stringMatching(/^qemu-system-i386: terminating on signal 15/) });
    expect(log.problems.at(-1)).toMatchObject({ line: last.lineNo, code: 'NO_TIMESTAMP' });
  });

  test('strings and bytes: expect the same result', () => {
    const bytes = fixture('normal-6.1-x86_64-pc-512m.log');
    const a = normaliseLog(bytes, 'x');
    const b = normaliseLog(new TextDecoder().decode(bytes), 'x');
    expect(b).toEqual(a);
  });

  test.each([
    ['empty bytes', new Uint8Array(0), 'empty'],
    ['empty string', '', 'empty'],
    ['a lone LF', '\n', 'empty'],
  ] as const)('%s: expect status %s', (_what, raw, status) => {
    expect(normaliseLog(raw, 'x').status).toBe(status);
  });

  test('misuse: expect a throw for a non-string, non-bytes argument', () => {
    expect(() => normaliseLog(42 as unknown as string, 'x')).toThrow(TypeError);
  });
});

describe('bytes lost in capture (seen in re-captured goldens)', () => {
  test('merged records: expect a split at the inner timestamp, same raw line, MERGED_LINES', () => {
    const log = normaliseLog(
      '[    0.000000] BIOS-provided physical RAM map:\r\n[    0.000000] software IO TLB: area num 4.[    0.000000] Memory: 2107960K/4193780K available (14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, 193172K reserved, 0K cma-reserved)\r\n',
      'g.log',
    );
    expect(log.lines.map((l) => [l.lineNo, l.text.slice(0, 28)])).toEqual([
      [1, 'BIOS-provided physical RAM m'],
      [2, 'software IO TLB: area num 4.'],
      [2, 'Memory: 2107960K/4193780K av'],
    ]);
    expect(log.problems[0]).toMatchObject({ line: 2, code: 'MERGED_LINES' });
  });

  test.each([
    ['[    0.00000] BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved', 'BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved'],
    ['[    000000]   node   0: [mem 0x0000000000100000-0x000000007ffdefff]', '  node   0: [mem 0x0000000000100000-0x000000007ffdefff]'],
    ['[    0.000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]', '  DMA      [mem 0x0000000000001000-0x0000000000ffffff]'],
  ])('damaged timestamp %j: expect the text kept, no ts, DAMAGED_TIMESTAMP', (raw, text) => {
    const log = normaliseLog(`[    0.000000] Linux version 6.1.0\n${raw}\n`, 'g.log');
    expect(log.lines[1]).toEqual({ lineNo: 2, ts: undefined, text });
    expect(log.problems[0]).toMatchObject({ line: 2, code: 'DAMAGED_TIMESTAMP' });
  });

  test('timestamp and text both damaged: expect NO_TIMESTAMP, the text kept as is', () => {
    const log = normaliseLog('[    0.000000] Linux version 6.1.0\n[    0.000000ghMem zone: 36834 pages, LIFO batch:7\n', 'g.log');
    expect(log.lines[1]).toEqual({ lineNo: 2, ts: undefined, text: '[    0.000000ghMem zone: 36834 pages, LIFO batch:7' });
    expect(log.problems[0]).toMatchObject({ line: 2, code: 'NO_TIMESTAMP' });
  });
});

describe('normaliseText', () => {
  test.each([
    ['CSI', '\x1b[0mSeaBIOS', 'SeaBIOS'],
    ['RIS and private CSI', '\x1bc\x1b[?7l\x1b[2Jx', 'x'],
    ['OSC with BEL', '\x1b]0;title\x07x', 'x'],
    ['OSC with ST', '\x1b]0;title\x1b\\x', 'x'],
    ['CR', 'a\r', 'a'],
    ['tab kept', 'rcu: \tMax', 'rcu: \tMax'],
    ['trailing space kept', 'Fallback order for Node 0: 0 ', 'Fallback order for Node 0: 0 '],
  ])('%s: expect %j', (_what, input, out) => {
    expect(normaliseText(input).text).toBe(out);
  });
});

describe('normaliseSimLines', () => {
  test('sim_lines: expect the same text normalisation, 1-based positions, stage and fmt kept', () => {
    const log = normaliseSimLines([
      { stage: 'e820', fmt: 'e820.header', text: 'BIOS-provided physical RAM map:' },
      { stage: 'e820', fmt: 'e820.entry', text: 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\r' },
      { stage: 'mem-init', fmt: 'mem.summary', text: 'Memory: 1K/2K available (1K kernel code, 1K rwdata, 1K rodata, 1K init, 1K bss, 1K reserved, 0K cma-reserved)' },
      { stage: 'slub', fmt: 'slub', text: 'SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1' },
    ]);
    expect(log.lines[1]).toEqual({ lineNo: 2, ts: undefined, text: 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable', stage: 'e820', fmt: 'e820.entry' });
    expect(log.status).toBe('complete');
    expect(log.window).toMatchObject({ startLine: 1, endLine: 4, complete: true });
    expect(log.problems).toEqual([]);
  });
});

describe('requireUsableGolden', () => {
  test.each([
    ['normal-6.1-x86_64-pc-512m.log'],
    ['memory-after-slub-6.12-x86_64-pc-512m.log'],
    ['oops-after-window-6.1-i386-q35-4g.log'],
  ])('%s: expect usable', (name) => {
    expect(() => requireUsableGolden(read(name))).not.toThrow();
  });

  test.each([
    ['truncated-6.1-x86_64-pc-512m.log', 'GOLDEN_TRUNCATED'],
    ['panicked-early-6.1-x86_64.log', 'GOLDEN_PANICKED'],
    ['firmware-only.log', 'GOLDEN_EMPTY'],
    ['binary.bin', 'GOLDEN_BINARY'],
  ] as [string, GoldenCode][])('%s: expect %s', (name, code) => {
    const log = read(name);
    expect(() => requireUsableGolden(log)).toThrow(GoldenError);
    try {
      requireUsableGolden(log);
    } catch (e) {
      expect((e as GoldenError).code).toBe(code);
    }
  });

  test('no window: expect GOLDEN_NO_WINDOW', () => {
    const log = normaliseLog('[    0.000000] Linux version 6.1.0\n[    1.000000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n', 'g.log');
    expect(() => requireUsableGolden(log)).toThrow(expect.objectContaining({ code: 'GOLDEN_NO_WINDOW' }));
  });

  test('message: expect file, line, expectation and finding', () => {
    expect(() => requireUsableGolden(read('panicked-early-6.1-x86_64.log'))).toThrow(
      'tests/fixtures/logs/panicked-early-6.1-x86_64.log:56: expected the memory-init window to end with SLUB and Memory: lines, got a panic first: Kernel panic - not syncing: alloc_node_data: Cannot allocate 172032 bytes for node 0 data',
    );
  });
});

// splitRaw decodes a valid UTF-8 capture whole and splits the text; line-by-line decoding is the
// reference: the same lines, numbers, flags and counts on any bytes (invalid sequences, BOMs, CR, a
// missing last newline) and on every captured log.
describe('splitRaw', () => {
  const bytes = fc.array(fc.oneof(
    fc.constantFrom(0x0a, 0x0d, 0x1b, 0x00, 0x7f, 0x41, 0x20),
    fc.constantFrom([0xef, 0xbb, 0xbf], [0xe2, 0x80, 0xa6], [0xc3], [0xff], [0x80, 0x0a], [0xf0, 0x9f, 0x98, 0x80]),
    fc.integer({ min: 0, max: 255 }),
  ), { maxLength: 60 }).map((xs) => Uint8Array.from(xs.flat()));
  test('split_raw_as_by_line: expect the line-by-line result on any bytes', () => {
    fc.assert(fc.property(bytes, (b) => {
      expect(splitRaw(b)).toEqual(splitRawByLine(b));
    }), { seed: 11, numRuns: 1000 });
  });

  test('split_raw_fixtures: expect the line-by-line result on every recorded log (non-UTF-8, escapes, CRLF, binary)', () => {
    const names = readdirSync(new URL('../fixtures/logs/', import.meta.url)).filter((n) => n !== 'README.md');
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const b = fixture(name);
      expect(splitRaw(b), name).toEqual(splitRawByLine(b));
    }
  });
});
