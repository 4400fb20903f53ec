// The 3.0.1 memblock ledger (sim/stages/old/nobootmem-30.ts) against the evidence: each 3.0 golden's
// serial-memblock.log, the same boot with memblock=debug, prints every memblock_x86_reserve_range() from
// BRK on (TEXT DATA BSS and "* BIOS reserved" come before early params are parsed) and, in mem_init(),
// "Subtract (N early reservations)" with memblock.reserved as free_all_bootmem() sees it.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../../sim/base/paths.ts';
import { loadProfile } from '../../../../harness/profile/load.ts';
import { legacyBootFor } from '../../../../harness/simulate.ts';
import { simulate30 } from '../../../../sim/stages/old/pipeline-30.ts';

const goldens = path.join(repoRoot, 'goldens');
const names = readdirSync(goldens).filter((n) => n.startsWith('i386-3.0-') && existsSync(path.join(goldens, n, 'serial-memblock.log')));

/** `[0x%010llx-0x%010llx] %16s` reservations and the first Subtract list, from a memblock=debug log. */
function evidence(log: string): { reserves: string[]; subtract: string[] } {
  const reserves: string[] = [];
  const subtract: string[] = [];
  const lines = log.split(/\r?\n/);
  for (const l of lines) {
    const m = /memblock_x86_reserve_range: \[0x([0-9a-f]+)-0x([0-9a-f]+)\]\s+(.+?)\s*$/.exec(l);
    if (m) reserves.push(`${m[3]} ${BigInt(`0x${m[1]}`).toString(16)}-${(BigInt(`0x${m[2]}`) + 1n).toString(16)}`);
  }
  const at = lines.findIndex((l) => /^Subtract \(\d+ early reservations\)/.test(l));
  for (let i = at + 1; at >= 0 && i < lines.length; i++) {
    const m = /^ {2}\[([0-9a-f]+)-([0-9a-f]+)\]$/.exec(lines[i]!);
    if (!m) break;
    subtract.push(`${BigInt(`0x${m[1]}`).toString(16)}-${(BigInt(`0x${m[2]}`) + 1n).toString(16)}`);
  }
  return { reserves, subtract };
}

describe('3.0.1 memblock ledger against memblock=debug', () => {
  test('goldens_with_evidence: expect every 3.0 golden to carry a serial-memblock.log', () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
  });
  test.each(names)('ledger_%s: expect each reservation from BRK on, in order, and the regions free_all_bootmem() subtracts', (name) => {
    const spec = loadProfile(path.join(goldens, name, 'profile.yaml'));
    const boot = legacyBootFor({ ...spec, cmdline: [spec.cmdline, 'memblock=debug'].filter(Boolean).join(' ') });
    expect(boot?.allocator).toBe('nobootmem');
    const mb = simulate30(boot!.ctx).state.legacy30!.memblock30!;
    const ev = evidence(readFileSync(path.join(goldens, name, 'serial-memblock.log'), 'utf8'));
    expect(ev.reserves.length).toBeGreaterThan(20);
    const sim = mb.log.map((r) => `${r.name} ${r.base.toString(16)}-${r.end.toString(16)}`);
    expect(sim.slice(sim.findIndex((s) => s.startsWith('BRK ')))).toEqual(ev.reserves);
    expect(mb.reserved.map((r) => `${r.base.toString(16)}-${r.end.toString(16)}`)).toEqual(ev.subtract);
  });
});
