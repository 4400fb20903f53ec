// The memblock ledger check, generated from goldens/: one describe per golden that has a
// memblock=debug capture (serial-memblock.log), so a new one is checked as soon as it is captured.
// Each compares the simulated ledger (sim/stages/memblock.ts) with the capture's reservations and
// allocations, one by one in boot order, by address, size and caller, under the rules stated in
// harness/compare/ledger.ts; the register's ledger entries (goldens/divergences.yaml) are the only
// operations set apart, and each must still be needed.
import { beforeAll, describe, expect, test } from 'vitest';
import { compareLedgerGolden, listMemblockGoldens, type LedgerGoldenResult } from '../../harness/compare/ledger-run.ts';
import { describeDifference, describeDump, describeFrees } from '../../harness/compare/ledger.ts';
import { readLedgerDivergences } from '../../harness/divergences.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';

const names = listMemblockGoldens();
const register = readLedgerDivergences(familyIds);
const results = new Map<string, LedgerGoldenResult>();

test('goldens: expect memblock=debug captures to check', () => {
  expect(names.length).toBeGreaterThan(0);
});

for (const name of names) {
  describe(name, () => {
    let r: LedgerGoldenResult;
    beforeAll(() => {
      r = compareLedgerGolden(name, register);
      results.set(name, r);
    });

    test('capture: expect every memblock line read, and the command line simulated as captured', () => {
      expect(r.problems.filter((p) => p.code.startsWith('MEMBLOCK_')).map((p) => `${r.file}:${p.line}: ${p.code}: ${p.message}`)).toEqual([]);
      expect(r.simulatedCmdline).toBe(r.capturedCmdline);
      expect(r.comparison.problems.map((p) => `${p.code}: ${p.message}`)).toEqual([]);
    });

    test('ledger: expect each reservation and allocation at the address, size and caller memblock=debug printed', () => {
      const c = r.comparison;
      expect(c.first === undefined, describeDifference(c, r.file)).toBe(true);
      expect(c.compared).toBe(c.logCount);
      expect(c.simCount).toBe(c.logCount);
      // a check that compares nothing is no check
      expect(c.compared).toBeGreaterThan(0);
      expect(c.compared - c.callerHidden, 'callers compared').toBeGreaterThan(0);
    });

    test('first MEMBLOCK configuration: expect the memory and the reserved ranges the simulated ledger had made by then', () => {
      const d = r.comparison.dump;
      expect(d, 'the capture prints memblock_dump_all() at the end of e820__memblock_setup()').toBeDefined();
      expect(d!.same, describeDump(d!, r.file)).toBe(true);
    });

    test('frees: expect the capture to give back what the simulated entries gave back', () => {
      const f = r.comparison.frees!;
      expect(f.same, describeFrees(f)).toBe(true);
      expect(f.golden.length, 'every capture frees something (the init_mem_mapping probe, percpu tails …)').toBeGreaterThan(0);
    });

    test('not printed: expect only entries made before parse_early_param(), ahead of every printed one', () => {
      const first = r.ledger.findIndex((e) => e.notPrinted === undefined);
      const late = r.ledger.map((e, i) => ({ e, i })).filter(({ e, i }) => e.notPrinted !== undefined && i > first);
      expect(late.map(({ e }) => e.why)).toEqual([]);
    });
  });
}

test('register: expect every ledger entry of goldens/divergences.yaml to set apart an operation of some golden', () => {
  const used = new Set(names.flatMap((n) => results.get(n)?.comparison.known.map((k) => k.entry) ?? []));
  expect(register.filter((d) => !used.has(d)).map((d) => `${d.pos.file}:${d.pos.line}: ledger ${d.ledger}`)).toEqual([]);
});
