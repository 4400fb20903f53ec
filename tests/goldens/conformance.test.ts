// Conformance tests generated from goldens/: one describe per golden profile, one per stage,
// one test per catalog family present in its golden, so that a failure reads as
// `x86_64-6.1-pc-8g › zones › zones.range`. Each test asserts the ratchet: every line that
// goldens/baseline.json records as exact must still be exact. It does not assert that
// everything is exact; `npx bootsim conformance` reports how far the simulator has come.
//
// A golden with a memblock=debug capture (serial-memblock.log) has two more describes, from one
// simulation of its profile with memblock=debug on the command line:
// - `memblock=debug profile`: that profile loads, and its simulation matches the capture's catalog
//   lines as the golden's matches serial.log (the memblock lines it adds are outside the catalog);
// - `ledger`: the simulated ledger (sim/stages/memblock.ts) against the capture's reservations and
//   allocations, one by one in boot order, by address, size and caller, under the rules stated in
//   harness/compare/ledger.ts; the register's ledger entries (goldens/divergences.yaml) are the only
//   operations set apart, and each must still be needed.
// Each golden is compared once, when the file is collected (its catalog lines name the tests), and
// the memblock=debug boot once, in beforeAll: the three checks used to be three files that
// simulated and classified the same goldens two and three times.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { listGoldens, compareSpec } from '../../harness/compare/run.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';
import { judge, readBaseline, type Regression } from '../../harness/baseline.ts';
import { findDivergence, readDivergences, readLedgerDivergences } from '../../harness/divergences.ts';
import { formatPos } from '../../sim/base/errors.ts';
import type { ProfileResult } from '../../harness/compare/result.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { commandsFor } from '../../harness/compare/result.ts';
import { describeLine } from '../../harness/report/text.ts';
import { compareLedgerGolden, listMemblockGoldens, memblockLogFile, simulateMemblockGolden, type LedgerGoldenResult } from '../../harness/compare/ledger-run.ts';
import { describeDifference, describeDump, describeFrees } from '../../harness/compare/ledger.ts';
import type { MachineSpec } from '../../sim/types.ts';

const { ready } = listGoldens();
const baseline = readBaseline();
const memblockGoldens = listMemblockGoldens();
const withLedger = new Set(memblockGoldens);
const ledgerRegister = readLedgerDivergences(familyIds);
const ledgerResults = new Map<string, LedgerGoldenResult>();

// The family a ratchet key belongs to: 'zones.range[DMA32]' and 'zones.range#2' → 'zones.range'.
const familyOfKey = (key: string): string => key.replace(/[[#].*$/, '');

test('the divergence register is valid', () => {
  expect(() => readDivergences(familyIds)).not.toThrow();
});

test('there are memblock=debug captures to check', () => expect(memblockGoldens.filter((n) => ready.some((g) => g.name === n)).length).toBeGreaterThan(20));

// A register that does not parse fails 'the divergence register is valid' above, not the collection.
let register: ReturnType<typeof readDivergences> = [];
try { register = readDivergences(familyIds); } catch { /* reported by its own test */ }

for (const g of ready) {
  describe(g.name, () => {
    // Collection compares the golden once: its catalog lines say which families to test, by stage.
    let result: ProfileResult;
    let spec: MachineSpec;
    const stages = new Map<string, string[]>();
    try {
      spec = loadProfile(g.profileFile);
      result = compareSpec(spec, { golden: g.serialFile, register, onSimError: 'record' });
      for (const l of result.comparison.lines) {
        if (!l.golden) continue;
        const fams = stages.get(l.stage) ?? [];
        if (!fams.includes(l.family)) fams.push(l.family);
        stages.set(l.stage, fams);
      }
    } catch (e) {
      test('golden', () => {
        throw new Error(`${(e as Error).message}\n  re-capture: ${commandsFor(g.name).capture}`);
      });
      return;
    }
    const lines = result.comparison.lines;
    const recorded = baseline.profiles[g.name];
    // A golden the baseline does not record is judged in full (judge: unrecorded).
    const regressions: readonly Regression[] = judge({ version: 1, profiles: recorded ? { [g.name]: recorded } : {} }, new Map([[g.name, lines]])).regressions;

    // A register entry that names one line of this profile must still explain a line that is not exact:
    // when the simulator brings it within bound, the entry goes, so the known count stays honest.
    const keyed = register.filter((d) => d.key !== undefined && findDivergence([d], g.name, result.kernel, { family: d.family, key: d.key, stage: '', status: 'mismatched' }) !== undefined);
    if (keyed.length > 0) {
      test('known divergences still diverge', () => {
        const stale = keyed.filter((d) => !lines.some((l) => l.key === d.key && l.family === d.family && l.status !== 'exact'));
        expect(stale.map((d) => `${formatPos(d.pos)}: ${d.key} is exact now (or gone): delete the entry`)).toEqual([]);
      });
    }

    // Asserts that no recorded line of these families regressed; the message shows each line and the commands.
    const assertRatchet = (inFamily: (family: string) => boolean): void => {
      const regressed = regressions.filter((r) => inFamily(familyOfKey(r.key)));
      const explain = regressed.flatMap((r) => (r.line ? describeLine(r.line) : [`gone ${r.key}: no longer among the golden's catalog lines`]));
      const cmds = commandsFor(g.name);
      expect(regressed.map((r) => r.key), ['lines recorded as exact in goldens/baseline.json are no longer exact:', ...explain, `see the diff:  ${cmds.diff}`, `re-capture:    ${cmds.capture}`].join('\n')).toEqual([]);
    };

    const present = new Set([...stages.values()].flat());
    for (const [stage, fams] of stages) {
      describe(stage, () => {
        for (const family of fams) test(family, () => assertRatchet((f) => f === family));
      });
    }
    // A recorded family that the golden no longer prints at all has no test of its own above.
    if ((recorded?.exact ?? []).some((k) => !present.has(familyOfKey(k)))) {
      test('families gone from the golden', () => assertRatchet((f) => !present.has(f)));
    }

    if (withLedger.has(g.name)) describeMemblockDebug(g.name, result, spec);
  });
}

/** The memblock=debug checks of one golden, from one simulation of its profile with memblock=debug; `plain` is its serial.log comparison and `profile` its loaded profile, when it has them. */
function describeMemblockDebug(name: string, plain: ProfileResult | undefined, profile?: MachineSpec): void {
  let debug: ProfileResult;
  let r: LedgerGoldenResult;
  beforeAll(() => {
    const run = simulateMemblockGolden(name, undefined, profile);
    if (plain) debug = compareSpec(run.spec, { golden: memblockLogFile(name), register, onSimError: 'record', simulate: () => run.sim.lines });
    r = compareLedgerGolden(name, ledgerRegister, undefined, run);
    ledgerResults.set(name, r);
  });

  if (plain) describe('memblock=debug profile', () => {
    test('with memblock=debug in its cmdline, as exact against serial-memblock.log as the golden is against serial.log', () => {
      expect(debug.simError).toBeUndefined();
      const c = debug.comparison.counts;
      expect(c.missing + c.extra).toBe(0);
      expect(c.exact).toBe(plain.comparison.counts.exact);
      expect(c.mismatched).toBe(plain.comparison.counts.mismatched);
    });
  });

  describe('ledger', () => {
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

// A memblock=debug capture without a serial.log beside it (not among the goldens above) still has its ledger checked.
for (const name of memblockGoldens.filter((n) => !existsSync(path.join(path.dirname(memblockLogFile(n)), 'serial.log')))) {
  describe(name, () => describeMemblockDebug(name, undefined));
}

test('register: expect every ledger entry of goldens/divergences.yaml to set apart an operation of some golden', () => {
  const used = new Set(memblockGoldens.flatMap((n) => ledgerResults.get(n)?.comparison.known.map((k) => k.entry) ?? []));
  expect(ledgerRegister.filter((d) => !used.has(d)).map((d) => `${d.pos.file}:${d.pos.line}: ledger ${d.ledger}`)).toEqual([]);
});
