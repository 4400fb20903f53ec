// explain for the e820 stage (issue 11): every line it prints with a number has a derivation with
// units, and the derivation gives back the numbers the line prints.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../../sim/base/paths.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { simulateSpec } from '../../../harness/simulate.ts';
import { BootsimError } from '../../../sim/base/errors.ts';

const names = readdirSync(goldensDir).filter((d) => existsSync(path.join(goldensDir, d, 'profile.yaml'))).sort();
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
  let lines: ReturnType<typeof simulateSpec> = [];
  try {
    lines = simulateSpec(loadProfile(path.join(goldensDir, name, 'profile.yaml')));
  } catch (e) {
    if (!(e instanceof BootsimError)) throw e;
  }
  // E820_TYPE_RAM in e820_add_kernel_range's warning is a name, not a number
  const e820 = lines.filter((l) => l.stage === 'e820' && /\d/.test(l.text.replace(/^BIOS-e820/, '').replace(/e820/gi, '')));

  test('e820_explained: expect every numbered e820 line to carry start, end, size and type, or last_pfn and max_arch_pfn', () => {
    expect(e820.length).toBeGreaterThan(0);
    for (const l of e820) {
      const fields = Object.keys(l.explain ?? {});
      expect(fields, l.text).toEqual(l.fmt === 'last_pfn' ? ['last_pfn', 'max_arch_pfn'] : ['start', 'end', 'size', 'type']);
    }
  });

  test('e820_explain_matches_text: expect the printed bounds and last_pfn to be the derived values, with units', () => {
    for (const l of e820) {
      const ex = l.explain!;
      if (l.fmt === 'last_pfn') {
        const [, last, max] = /last_pfn = (0x[0-9a-f]+) max_arch_pfn = (0x[0-9a-f]+)/.exec(l.text)!;
        expect(String(ex.last_pfn![0]!.value)).toContain(`${last} (pages)`);
        expect(String(ex.max_arch_pfn![0]!.value)).toMatch(new RegExp(`^${max} \\(pages\\) = `));
        continue;
      }
      // the [mem first-last] forms, or 3.0.1's "%016Lx - %016Lx" (end exclusive) and e820_setup_gap's "(gap: start:size)"
      const [a, b] = bounds(l.text);
      expect(String(ex.start![0]!.value)).toBe(`${strip(a.toString(16))} (address)`);
      expect(String(ex.end![0]!.value)).toBe(`${strip(b.toString(16))} (address)`);
      const size = b + 1n - a;
      expect(String(ex.size![0]!.value)).toMatch(new RegExp(`^${size} bytes = `));
      if (l.fmt === 'e820.entry') expect(ex.type!.length, `${l.text}: expected the firmware step that made it`).toBeGreaterThan(1);
    }
  });
});
