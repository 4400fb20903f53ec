// explain for the e820 stage (issue 11): every line it prints with a number has a derivation with
// units, and the derivation gives back the numbers the line prints.
//
// This checks the mechanism (a derivation beside each line), not a golden's numbers (the conformance
// tests compare every golden's e820 lines), so it runs on a sample of the goldens, not all 236: the first
// golden of each kernel, machine and set of the e820 stage's own command-line parameters (mem=, memmap=:
// sim/stages/e820.ts e820Setup). The kernel picks the series, the pipeline and the line style; the
// machine the firmware table (sim/firmware/e820-table.ts) and so the kinds of entry and their steps;
// mem= and memmap= the removed, updated and user-map lines. Memory size, CPUs and NUMA change how many
// entries there are, not their forms. Measured when the sample was chosen (2026-12-02): the 39 sampled
// goldens print all 86 kinds of line (kernel, fmt and explain fields with their step counts) that the
// 236 print.
import { describe, expect, test } from 'vitest';
import { BootsimError } from '../../../sim/base/errors.ts';
import { goldenNames, goldenProfile } from '../../golden-profiles.ts';
import { goldenLines } from '../../golden-boots.ts';
import { cmdlineParams } from '../../../sim/stages/e820.ts';
import type { DmesgLine } from '../../../sim/types.ts';

const e820Params = (cmdline: string | undefined): string =>
  [...new Set(cmdlineParams(cmdline).map((p) => p.key).filter((k) => k === 'mem' || k === 'memmap'))].sort().join('+');
const sample = new Map<string, string>();
for (const name of goldenNames()) {
  const spec = goldenProfile(name);
  const key = `${spec.kernel} ${spec.machine} ${e820Params(spec.cmdline)}`;
  if (!sample.has(key)) sample.set(key, name);
}
const names = [...sample.values()];

test('sample_covers_every_kernel: expect a sampled golden for every kernel of the goldens, and a memmap= one', () => {
  const kernels = (list: readonly string[]) => [...new Set(list.map((n) => goldenProfile(n).kernel))].sort();
  expect(kernels(names)).toEqual(kernels(goldenNames()));
  expect(names.some((n) => e820Params(goldenProfile(n).cmdline).includes('memmap'))).toBe(true);
});
const strip = (h: string): string => `0x${h.replace(/^0x0*/, '') || '0'}`;

/** The first and last byte a numbered e820-stage line prints. */
function bounds(text: string): [bigint, bigint] {
  const mem = /\[(?:mem|gap) (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/.exec(text);
  if (mem) return [BigInt(mem[1]!), BigInt(mem[2]!)];
  const old = /([0-9a-f]{16}) - ([0-9a-f]{16})/.exec(text);
  if (old) return [BigInt(`0x${old[1]}`), BigInt(`0x${old[2]}`) - 1n];
  const gap = /\(gap: ([0-9a-f]+):([0-9a-f]+)\)/.exec(text)!;
  return [BigInt(`0x${gap[1]}`), BigInt(`0x${gap[1]}`) + BigInt(`0x${gap[2]}`) - 1n];
}

describe.each(names)('%s', (name) => {
  let lines: readonly DmesgLine[] = [];
  try {
    lines = goldenLines(name);
  } catch (e) {
    if (!(e instanceof BootsimError)) throw e;
  }
  // E820_TYPE_RAM in e820_add_kernel_range's warning is a name, not a number
  const e820 = lines.filter((l) => l.stage === 'e820' && /\d/.test(l.text.replace(/^BIOS-e820/, '').replace(/e820/gi, '')));

  // Each line is checked plainly and reported through expect only when it is wrong: expect() per
  // field of some 10,000 lines was a third of this file's time.
  test('e820_explained: expect every numbered e820 line to carry start, end, size and type, or last_pfn and max_arch_pfn', () => {
    expect(e820.length).toBeGreaterThan(0);
    for (const l of e820) {
      const fields = Object.keys(l.explain ?? {});
      const want = l.fmt === 'last_pfn' ? ['last_pfn', 'max_arch_pfn'] : ['start', 'end', 'size', 'type'];
      if (fields.join() !== want.join()) expect(fields, l.text).toEqual(want);
    }
  });

  test('e820_explain_matches_text: expect the printed bounds and last_pfn to be the derived values, with units', () => {
    for (const l of e820) {
      const ex = l.explain!;
      if (l.fmt === 'last_pfn') {
        const [, last, max] = /last_pfn = (0x[0-9a-f]+) max_arch_pfn = (0x[0-9a-f]+)/.exec(l.text)!;
        const lastText = String(ex.last_pfn![0]!.value);
        const maxText = String(ex.max_arch_pfn![0]!.value);
        if (!lastText.includes(`${last} (pages)`)) expect(lastText, l.text).toContain(`${last} (pages)`);
        if (!maxText.startsWith(`${max} (pages) = `)) expect(maxText, l.text).toMatch(new RegExp(`^${max} \\(pages\\) = `));
        continue;
      }
      // the [mem first-last] forms, or 3.0.1's "%016Lx - %016Lx" (end exclusive) and e820_setup_gap's "(gap: start:size)"
      const [a, b] = bounds(l.text);
      const got = { start: String(ex.start![0]!.value), end: String(ex.end![0]!.value), size: String(ex.size![0]!.value) };
      const want = { start: `${strip(a.toString(16))} (address)`, end: `${strip(b.toString(16))} (address)`, size: `${b + 1n - a} bytes = ` };
      if (got.start !== want.start || got.end !== want.end || !got.size.startsWith(want.size)) {
        expect({ ...got, size: got.size.slice(0, want.size.length) }, l.text).toEqual(want);
      }
      if (l.fmt === 'e820.entry' && ex.type!.length <= 1) expect(ex.type!.length, `${l.text}: expected the firmware step that made it`).toBeGreaterThan(1);
    }
  });
});
