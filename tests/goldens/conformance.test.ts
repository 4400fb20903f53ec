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
// simulated and classified the same goldens two and three times. The runs of the conformance verb
// over every golden (two shards merged against one run, two threads against one; at the end) take
// their comparisons from the same pass, for the same reason.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { listGoldens, compareSpec, type GoldenRef } from '../../harness/compare/run.ts';
import { compareGolden, compareInThreads, type Outcome } from '../../harness/compare/parallel.ts';
import { readShardReport, type ShardReport } from '../../harness/compare/shard.ts';
import { run as conformance } from '../../harness/cli/commands/conformance.ts';
import { BootsimError } from '../../sim/base/errors.ts';
import { captureIO } from '../harness/cli/helpers.ts';
import { scratchDirs } from '../scratch.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';
import { judge, readBaseline, type Regression } from '../../harness/baseline.ts';
import { findDivergence, readDivergences, readLedgerDivergences, type Divergence } from '../../harness/divergences.ts';
import { formatPos } from '../../sim/base/errors.ts';
import type { ProfileResult } from '../../harness/compare/result.ts';
import type { ComparedLine } from '../../harness/compare/types.ts';

/**
 * What the memblock=debug checks compare of a comparison: the exact and mismatched counts of the lines
 * without a volatile field, and the volatile lines that are neither within their bound nor registered.
 * A volatile line (the late Memory: available of 6.12+) is judged against its own capture's bound: the
 * memblock=debug capture is another boot, up to ~300K apart from serial.log, so one near the bound can
 * be within it in one capture and outside in the other; each must be within it or a registered divergence.
 */
interface SteadyCounts {
  readonly exact: number;
  readonly mismatched: number;
  readonly volatileOut: readonly string[];
}

function steadyCounts(lines: readonly ComparedLine[]): SteadyCounts {
  let exact = 0;
  let mismatched = 0;
  const volatileOut: string[] = [];
  for (const l of lines) {
    if (l.fields?.some((f) => f.volatile)) {
      if (l.status !== 'exact' && l.known === undefined) volatileOut.push(`${l.key}: ${l.status}, not registered`);
    } else if (l.status === 'exact') exact++;
    else if (l.status === 'mismatched') mismatched++;
  }
  return { exact, mismatched, volatileOut };
}
import { goldenProfile } from '../golden-profiles.ts';
import { stateLogFor } from '../../harness/compare/state-run.ts';
import { commandsFor } from '../../harness/compare/result.ts';
import { describeLine } from '../../harness/report/text.ts';
import { compareLedgerGolden, listMemblockGoldens, memblockLogFile, simulateMemblockGolden, withMemblockDebug, type LedgerGoldenResult } from '../../harness/compare/ledger-run.ts';
import { legacyBootFor } from '../../harness/simulate.ts';
import { describeDifference, describeDump, describeFrees } from '../../harness/compare/ledger.ts';
import type { MachineSpec } from '../../sim/types.ts';

const { ready } = listGoldens();
const baseline = readBaseline();
const memblockGoldens = listMemblockGoldens();
// The old pipelines (sim/stages/old/) keep their own allocator: 3.0.1's memblock ledger is checked
// against its serial-memblock.log by tests/sim/stages/old/ledger-30.test.ts; here they get only the
// memblock=debug profile check (describeLegacyMemblockDebug).
const legacyMemblock = new Set(memblockGoldens.filter((n) => legacyBootFor(goldenProfile(n)) !== undefined));
const withLedger = new Set(memblockGoldens.filter((n) => !legacyMemblock.has(n)));
const ledgerRegister = readLedgerDivergences(familyIds);
const ledgerResults = new Map<string, LedgerGoldenResult>();
// Each golden's outcome as the conformance verb compares it (harness/compare/parallel.ts compareGolden:
// loadProfile, then compareSpec with the golden, the register and onSimError 'record'; a coded error
// is a broken golden), filled by the comparison each describe below makes at collection (for a golden
// without a state.log; the runs below compare the others in full). Only the goldens those runs use
// (every 20th; the threads' every 40th is among them) are kept: the 236 results held ~200 MB of heap
// for the rest of the worker's files (isolate: false), which its garbage collector walked again and again.
const outcomes = new Map<string, Outcome>();
const runGoldens = ready.filter((_, i) => i % 20 === 0);
const threadGoldens = ready.filter((_, i) => i % 40 === 0);
const kept = new Set(runGoldens.map((g) => g.profileFile));

// The family a ratchet key belongs to: 'zones.range[DMA32]' and 'zones.range#2' → 'zones.range'.
const familyOfKey = (key: string): string => key.replace(/[[#].*$/, '');

test('the divergence register is valid', () => {
  expect(() => readDivergences(familyIds)).not.toThrow();
});

test('there are memblock=debug captures to check', () => expect(memblockGoldens.filter((n) => ready.some((g) => g.name === n)).length).toBeGreaterThan(20));

// A register that does not parse fails 'the divergence register is valid' above, not the collection.
let register: ReturnType<typeof readDivergences> = [];
try { register = readDivergences(familyIds); } catch { /* reported by its own test */ }

/** What one golden's tests need of its comparison, found at collection; the comparison itself is not kept. */
interface GoldenChecks {
  /** Each stage's catalog families present in the golden, in line order. */
  readonly stages: ReadonlyMap<string, readonly string[]>;
  /** The regressions against the baseline, as the messages show them, by family. */
  readonly regressed: ReadonlyMap<string, readonly { readonly key: string; readonly explain: readonly string[] }[]>;
  /** Whether the baseline records exact keys of a family the golden no longer prints. */
  readonly familiesGone: boolean;
  /** The register entries naming one of this golden's lines, and the messages of those that no longer diverge. */
  readonly keyed: number;
  readonly stale: readonly string[];
  readonly steady: SteadyCounts;
}

/**
 * The checks of one golden's comparison. A function of its own so that no test closure shares a scope
 * with the ProfileResult (every line's simulated and golden text): with isolate: false the tests of all
 * 236 goldens stayed alive with theirs for the rest of the worker's files, ~100 MB its collector walked.
 */
function goldenChecks(g: GoldenRef, result: ProfileResult): GoldenChecks {
  const lines = result.comparison.lines;
  const stages = new Map<string, string[]>();
  for (const l of lines) {
    if (!l.golden) continue;
    const fams = stages.get(l.stage) ?? [];
    if (!fams.includes(l.family)) fams.push(l.family);
    stages.set(l.stage, fams);
  }
  const recorded = baseline.profiles[g.name];
  // A golden the baseline does not record is judged in full (judge: unrecorded).
  const regressions: readonly Regression[] = judge({ version: 1, profiles: recorded ? { [g.name]: recorded } : {} }, new Map([[g.name, lines]])).regressions;
  const present = new Set([...stages.values()].flat());
  const regressed = new Map<string, { key: string; explain: readonly string[] }[]>();
  for (const r of regressions) {
    const fam = familyOfKey(r.key);
    const list = regressed.get(fam) ?? [];
    list.push({ key: r.key, explain: r.line ? describeLine(r.line) : [`gone ${r.key}: no longer among the golden's catalog lines`] });
    regressed.set(fam, list);
  }
  // A register entry that names one line of this profile must still explain a line that is not exact:
  // when the simulator brings it within bound, the entry goes, so the known count stays honest.
  const keyed = register.filter((d) => d.key !== undefined && findDivergence([d], g.name, result.kernel, { family: d.family, key: d.key, stage: '', status: 'mismatched' }) !== undefined);
  const stale = keyed.filter((d) => !lines.some((l) => l.key === d.key && l.family === d.family && l.status !== 'exact'))
    .map((d) => `${formatPos(d.pos)}: ${d.key} is exact now (or gone): delete the entry`);
  return {
    stages,
    regressed,
    familiesGone: (recorded?.exact ?? []).some((k) => !present.has(familyOfKey(k))),
    keyed: keyed.length,
    stale,
    steady: steadyCounts(lines),
  };
}

for (const g of ready) {
  describe(g.name, () => {
    // Collection compares the golden once: its catalog lines say which families to test, by stage.
    let checks: GoldenChecks;
    let spec: MachineSpec;
    try {
      // goldens/<name>/profile.yaml as the worker's other files load it (tests/golden-profiles.ts: parsed once per worker)
      spec = goldenProfile(g.name);
      // The state.log of a state golden is tests/goldens/state.test.ts's (state: false here): comparing
      // it in both files was ~1.5 s of the suite's CPU. So only a golden without one has the outcome
      // the verb would have; the runs below compare a state golden in full (compareGolden).
      const result = compareSpec(spec, { golden: g.serialFile, register, onSimError: 'record', state: false });
      if (stateLogFor(spec) === undefined && kept.has(g.profileFile)) outcomes.set(g.profileFile, { result });
      checks = goldenChecks(g, result);
    } catch (e) {
      if (e instanceof BootsimError) outcomes.set(g.profileFile, { broken: { profile: g.name, code: e.code, message: e.message } });
      test('golden', () => {
        throw new Error(`${(e as Error).message}\n  re-capture: ${commandsFor(g.name).capture}`);
      });
      return;
    }
    const { stages, regressed, stale } = checks;

    if (checks.keyed > 0) {
      // found at collection, so that the test holds the stale entries and not the golden's lines
      test('known divergences still diverge', () => {
        expect(stale).toEqual([]);
      });
    }

    // Asserts that no recorded line of these families regressed; the message shows each line and the commands.
    const assertRatchet = (inFamily: (family: string) => boolean): void => {
      const found = [...regressed].filter(([f]) => inFamily(f)).flatMap(([, rs]) => rs);
      const cmds = commandsFor(g.name);
      expect(found.map((r) => r.key), ['lines recorded as exact in goldens/baseline.json are no longer exact:', ...found.flatMap((r) => r.explain), `see the diff:  ${cmds.diff}`, `re-capture:    ${cmds.capture}`].join('\n')).toEqual([]);
    };

    const present = new Set([...stages.values()].flat());
    for (const [stage, fams] of stages) {
      describe(stage, () => {
        for (const family of fams) test(family, () => assertRatchet((f) => f === family));
      });
    }
    // A recorded family that the golden no longer prints at all has no test of its own above.
    if (checks.familiesGone) {
      test('families gone from the golden', () => assertRatchet((f) => !present.has(f)));
    }

    if (withLedger.has(g.name)) describeMemblockDebug(g.name, checks.steady, spec);
    else if (legacyMemblock.has(g.name)) describeLegacyMemblockDebug(g.name, checks.steady, spec);
  });
}

/** The memblock=debug profile check of a golden an old pipeline simulates: its catalog lines as exact against serial-memblock.log as against serial.log (`plain`: its counts there). */
function describeLegacyMemblockDebug(name: string, plain: SteadyCounts | undefined, profile: MachineSpec | undefined): void {
  describe('memblock=debug profile', () => {
    test('with memblock=debug in its cmdline, as exact against serial-memblock.log as the golden is against serial.log, each volatile line within its own capture\'s bound or registered', () => {
      expect(plain).toBeDefined();
      expect(profile).toBeDefined();
      // the catalog lines only: the state.log beside the capture is state.test.ts's
      const debug = compareSpec(withMemblockDebug(profile!), { golden: memblockLogFile(name), register, onSimError: 'record', state: false });
      expect(debug.simError).toBeUndefined();
      const c = debug.comparison.counts;
      expect(c.missing + c.extra).toBe(0);
      const d = steadyCounts(debug.comparison.lines);
      expect(d.exact).toBe(plain!.exact);
      expect(d.mismatched).toBe(plain!.mismatched);
      expect(d.volatileOut).toEqual([]);
    });
  });
}

/** The memblock=debug checks of one golden, from one simulation of its profile with memblock=debug; `plain` is its serial.log comparison's counts and `profile` its loaded profile, when it has them. */
function describeMemblockDebug(name: string, plain: SteadyCounts | undefined, profile?: MachineSpec): void {
  let debug: ProfileResult;
  let r: LedgerGoldenResult;
  beforeAll(() => {
    const run = simulateMemblockGolden(name, undefined, profile);
    // the catalog lines only: the state.log beside the capture is state.test.ts's
    if (plain) debug = compareSpec(run.spec, { golden: memblockLogFile(name), register, onSimError: 'record', simulate: () => run.sim.lines, state: false });
    r = compareLedgerGolden(name, ledgerRegister, undefined, run);
    ledgerResults.set(name, r);
  });

  if (plain) describe('memblock=debug profile', () => {
    test('with memblock=debug in its cmdline, as exact against serial-memblock.log as the golden is against serial.log, each volatile line within its own capture\'s bound or registered', () => {
      expect(debug.simError).toBeUndefined();
      const c = debug.comparison.counts;
      expect(c.missing + c.extra).toBe(0);
      const d = steadyCounts(debug.comparison.lines);
      expect(d.exact).toBe(plain.exact);
      expect(d.mismatched).toBe(plain.mismatched);
      expect(d.volatileOut).toEqual([]);
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

describe('sharded and threaded runs of the public goldens', () => {
  // Each golden is compared once for all the runs, by the collection above (the comparison is
  // deterministic: the threads test below checks it); what is under test is the split, each shard's
  // report, the shard files and the merge. The verb reads the same register the collection did.
  // The runs are over every 20th public golden (13 of 247: five kernel eras, three state goldens), in a
  // scratch goldens tree with those goldens' baseline entries: the split, the reports and the merge do
  // not depend on how many goldens they carry, and each golden's own comparison is the describe above.
  // Over all 236 the shard reports were ~33 MB, written and read five times (~2 s CPU); over every 8th
  // (30) the five runs were still ~1.2 s of the file's CPU.
  const scratch = scratchDirs('bootsim-shard-');
  const some = runGoldens;
  const byName = new Map(ready.map((g) => [g.name, g]));
  const compare = (g: GoldenRef, reg: readonly Divergence[]): Outcome => {
    // the scratch tree's files are the golden's own (symlinks): its comparison is the collection's
    const real = byName.get(g.name) ?? g;
    let o = outcomes.get(real.profileFile);
    if (!o) {
      o = compareGolden(real, reg);
      outcomes.set(real.profileFile, o);
    }
    return o;
  };
  /** A goldens tree of `some` (each golden's profile.yaml and serial.log linked) and its baseline, in `dir`. */
  const subsetTree = (dir: string): { goldens: string; baseline: string } => {
    const goldens = path.join(dir, 'goldens');
    for (const g of some) {
      mkdirSync(path.join(goldens, g.name), { recursive: true });
      symlinkSync(g.profileFile, path.join(goldens, g.name, 'profile.yaml'));
      symlinkSync(g.serialFile, path.join(goldens, g.name, 'serial.log'));
    }
    const file = path.join(dir, 'baseline.json');
    writeFileSync(file, JSON.stringify({ version: 1, profiles: Object.fromEntries(some.flatMap((g) => (baseline.profiles[g.name] ? [[g.name, baseline.profiles[g.name]]] : []))) }));
    return { goldens, baseline: file };
  };

  // Each report file is read and validated once (readShardReport), for the text and the --json merge alike.
  const reports = new Map<string, ShardReport>();
  const readReport = (file: string): ShardReport => {
    let r = reports.get(file);
    if (!r) reports.set(file, (r = readShardReport(file)));
    return r;
  };

  // One whole run, which also writes its results as a 1/1 report, and the
  // two shards. The merge of the 1/1 report must print what the run printed (so the merge reports as a
  // run does), and the merge of the two shards what the merge of the whole does, text and --json.
  test('two_shards_merged_equal_one_run: expect --merge of --shard 1/2 and 2/2 to print what one run prints, text and --json, with the same exit status', async () => {
    const dir = scratch();
    const tree = { ...subsetTree(dir), compare };
    const wholeFile = path.join(dir, 'whole.json');
    const whole = captureIO();
    const status = await conformance(['--out', wholeFile], whole.io, tree);
    const profilesIn = (out: string): number => Number(/^total \((\d+) profiles\)/m.exec(out)?.[1]);
    const n = profilesIn(whole.out());
    expect(n, whole.err()).toBe(some.length);
    expect(some.length).toBeGreaterThanOrEqual(10);
    // a state golden is compared in full (its state.log too) by the verb, so its report carries state
    expect(some.some((g) => stateLogFor(goldenProfile(g.name)) !== undefined)).toBe(true);
    const shards = [1, 2].map((i) => path.join(dir, `shard-${i}.json`));
    const sizes: number[] = [];
    for (const [i, f] of shards.entries()) {
      const c = captureIO();
      await conformance(['--shard', `${i + 1}/2`, '--out', f], c.io, tree);
      sizes.push(profilesIn(c.out()));
    }
    expect(sizes).toEqual([Math.ceil(n / 2), Math.floor(n / 2)]);
    const mergedWhole = captureIO();
    expect(await conformance(['--merge', wholeFile], mergedWhole.io, { ...tree, readReport }), mergedWhole.err()).toBe(status);
    expect(mergedWhole.out()).toBe(whole.out());
    const merged = captureIO();
    expect(await conformance(['--merge', ...shards], merged.io, { ...tree, readReport })).toBe(status);
    expect(merged.out()).toBe(whole.out());
    const wholeJson = captureIO();
    const mergedJson = captureIO();
    expect(await conformance(['--merge', wholeFile, '--json'], wholeJson.io, { ...tree, readReport })).toBe(status);
    expect(await conformance(['--merge', ...shards.reverse(), '--json'], mergedJson.io, { ...tree, readReport })).toBe(status);
    expect(mergedJson.out()).toBe(wholeJson.out());
    expect(JSON.parse(mergedJson.out()).profiles).toHaveLength(n);
  }, 300_000);

  // The threads share one counter and the outcomes are put back in golden order: the same outcomes as
  // one thread, whatever thread took which golden. The worker runs the sources through tsx here.
  test('threads_equal_one_thread: expect 2 threads to give the outcomes one thread gives, in the same order', async () => {
    const few = threadGoldens;
    expect(few.length).toBeGreaterThanOrEqual(6);
    const threaded = await compareInThreads(few, register, 2);
    // one thread's outcomes: the memoised ones of the run above (compared here if it was not run)
    expect(threaded).toEqual(few.map((g) => compare(g, register)));
  }, 120_000);
});
