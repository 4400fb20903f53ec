// The guest sees the same machine whatever backs its RAM (issue 10 item 6): two goldens booted again
// with a memory-backend-ram with reserve=off (qemu-scripts/qemu-argv.ts 'noreserve', the backend that
// starts guests larger than the host) print the same memory-init window, line for line, as their
// golden booted on QEMU's own RAM. Only timing lines (harness/catalog/masks.yaml) may differ.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../sim/base/paths.ts';
import { normaliseLog } from '../../harness/normalise.ts';
import { classifyLine } from '../../harness/catalog/classify.ts';
import { readMeta } from '../../qemu-scripts/capture.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { parse } from 'yaml';

const evidence = path.join(goldensDir, 'evidence', 'memory-backend');
const NAMES = ['x86_64-6.1-pc-512m', 'x86_64-6.1-pc-4g-numa2'];

/** The window from the e820 map to SLUB, timestamps gone, timing lines (masked) left out. */
function window(file: string, kernel: { version: string; arch: 'x86_64' | 'i386' }): string[] {
  const lines = normaliseLog(readFileSync(file), file).lines.map((l) => l.text);
  const from = lines.findIndex((t) => t.startsWith('BIOS-provided physical RAM map:'));
  const to = lines.findIndex((t) => t.startsWith('SLUB: HWalign='));
  expect(from).toBeGreaterThanOrEqual(0);
  expect(to).toBeGreaterThan(from);
  return lines.slice(from, to + 1).filter((t) => classifyLine(t, kernel).cls !== 'masked');
}

describe.each(NAMES)('%s on a noreserve memory backend', (name) => {
  const profile = parse(readFileSync(path.join(goldensDir, name, 'profile.yaml'), 'utf8')) as { kernel: string };
  const k = loadKernel(profile.kernel);
  const key = { version: k.release, arch: k.arch };
  test('the evidence was booted with the noreserve backend, the golden with QEMU RAM, otherwise the same argv', () => {
    const ev = readMeta(path.join(evidence, name, 'meta.yaml'))!;
    const golden = readMeta(path.join(goldensDir, name, 'meta.yaml'))!;
    expect(ev.memoryBackend).toBe('noreserve');
    expect(golden.memoryBackend ?? 'machine').toBe('machine');
    expect(ev.argv.filter((a) => a.includes('reserve=off')).length).toBeGreaterThan(0);
    const strip = (argv: readonly string[]): string[] => argv.filter((a, i) => !a.includes('pc.ram') && !(a === '-object' && argv[i + 1]?.includes('pc.ram')) && !(a === '-machine' && argv[i + 1] === 'memory-backend=pc.ram')).map((a) => a.replace(',reserve=off', ''));
    expect(strip(ev.argv)).toEqual(strip(golden.argv));
  });
  test('the memory-init window is the same, line for line', () => {
    const a = window(path.join(goldensDir, name, 'serial.log'), key);
    const b = window(path.join(evidence, name, 'serial.log'), key);
    expect(a.length).toBeGreaterThan(40);
    expect(b).toEqual(a);
  });
});
