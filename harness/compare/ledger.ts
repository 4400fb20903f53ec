// Compares the simulated memblock ledger (sim/stages/memblock.ts) with a memblock=debug capture
// (harness/memblock-log.ts): every reservation and allocation, one by one in boot order, by
// address, size and caller; the first difference is reported with both sides. Pure: the caller
// reads the files.
//
// The rules that let the two sides meet, stated once here (never per profile):
//  1. Not printed: what memblock_dbg() cannot show. memblock_debug is set by early_memblock() in
//     parse_early_param(), so what setup_arch() reserves before it is silent; the sim marks those
//     entries (Why.notPrinted) and they are counted apart.
//  2. Repeats: a ledger entry that stands for N identical allocations (memblockAllocRepeat) is N
//     allocations of total/N bytes, top-down: in descending address order, as successive
//     top-down memblock allocations land (mm/memblock.c __memblock_find_range_top_down).
//  3. Callers: %pS of _RET_IP_ names the function the memblock call returns into. After the
//     compiler's inlining and tail calls that is the source caller or one of its callers, so the
//     sim gives a call path ('setup_arch > reserve_brk') and the printed function (clone suffixes
//     .constprop.N … dropped) must be on it. When the return lands in an out-of-line memblock
//     wrapper (OUT_OF_LINE_WRAPPERS), the caller is not visible and only address and size are compared.
//  4. The register (goldens/divergences.yaml, entries with `ledger:`): operations of a printed
//     caller that the model does not make, each with a reason, set apart and counted.
//  5. The first memblock_dump_all() (end of e820__memblock_setup(), before any memblock free) shows
//     what rule 1 hides: its reserved regions must be the union of every simulated entry made
//     before it (the unprinted ones and those matched to earlier lines) and the registered
//     operations before it; its memory regions the simulated memblock.memory. Both are compared
//     as covered address ranges (adjacent regions merged), not region by region: node ids and
//     flags, which decide the kernel's merging, are the region model's (tests/sim/stages/memblock).
//  6. Frees: what the capture frees (memblock_phys_free …) must be what the simulated entries lost
//     to memblockFree (each entry's made ranges less what it still holds), as covered ranges: the
//     sim may give back in one call what the kernel gives back in several (percpu unit tails).
import type { LedgerEntry } from '../../sim/stages/memblock.ts';
import type { LedgerDivergence } from '../divergences.ts';
import { registerCovers } from '../divergences.ts';
import type { DumpRegion, MemblockDump, MemblockOperation } from '../memblock-log.ts';
import { addToSorted, type Range } from '../../sim/lib/ranges.ts';

/**
 * Memblock API functions that are out of line in some builds and call the allocator for their
 * caller, so that %pS names them instead: memblock_alloc() and memblock_alloc_from() (inline in
 * include/linux/memblock.h; the 686 builds emit them out of line, also as .constprop clones),
 * and __memblock_alloc_or_panic() (mm/memblock.c, 6.14+: memblock_alloc_or_panic()).
 */
export const OUT_OF_LINE_WRAPPERS: ReadonlySet<string> = new Set(['memblock_alloc', 'memblock_alloc_from', '__memblock_alloc_or_panic']);

/** One simulated reservation or allocation, as memblock=debug would print it. */
export interface SimLedgerItem {
  readonly start: bigint;
  readonly size: bigint;
  /** The call path of Why.caller, outermost first; empty when the sim gave none. */
  readonly callers: readonly string[];
  readonly why: string;
  readonly source: string;
  readonly stage: string;
  /** Index of the ledger entry it comes from. */
  readonly entry: number;
  /** Why memblock=debug does not print it. */
  readonly notPrinted?: string;
}

export type LedgerProblemCode = 'LEDGER_REPEAT_UNEVEN' | 'LEDGER_NO_CALLER';

export interface LedgerProblem {
  readonly code: LedgerProblemCode;
  readonly message: string;
}

/** Splits Why.caller ('setup_arch > reserve_brk') into its functions. */
export const callerPath = (caller: string | undefined): string[] => (caller === undefined ? [] : caller.split('>').map((s) => s.trim()).filter((s) => s !== ''));

/** The ledger as single reservations and allocations, by rules 1 and 2. Uneven repeats are problems. */
export function expandLedger(ledger: readonly LedgerEntry[]): { items: SimLedgerItem[]; problems: LedgerProblem[] } {
  const items: SimLedgerItem[] = [];
  const problems: LedgerProblem[] = [];
  ledger.forEach((e, entry) => {
    const made = e.made ?? e.ranges;
    const base = { callers: callerPath(e.caller), why: e.why, source: e.source, stage: e.stage, entry, ...(e.notPrinted !== undefined ? { notPrinted: e.notPrinted } : {}) };
    const count = e.count ?? 1n;
    if (count === 1n) {
      const r = made[0];
      if (r) items.push({ ...base, start: r.start, size: made.reduce((n, x) => n + (x.end - x.start), 0n) });
      return;
    }
    const total = made.reduce((n, x) => n + (x.end - x.start), 0n);
    if (total % count !== 0n) {
      problems.push({ code: 'LEDGER_REPEAT_UNEVEN', message: `ledger entry ${entry} "${e.why}": expected ${count} allocations of one size, got ${total} bytes in all` });
      return;
    }
    const size = total / count;
    // rule 2: top-down, highest first
    for (const r of [...made].sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0))) {
      for (let at = r.end - size; at >= r.start; at -= size) items.push({ ...base, start: at, size });
    }
  });
  return { items, problems };
}

/** How one pair of operations compares. */
export type ItemVerdict = 'same' | 'same-caller-hidden';

export interface LedgerDifference {
  /** 0-based position in the compared sequences. */
  readonly index: number;
  /** What differs: 'address', 'size', 'caller', 'sim-missing' (log has more), 'log-missing' (sim has more), 'no-sim-caller'. */
  readonly what: 'address' | 'size' | 'caller' | 'sim-missing' | 'log-missing' | 'no-sim-caller';
  readonly log: MemblockOperation | undefined;
  readonly sim: SimLedgerItem | undefined;
}

export interface LedgerComparison {
  /** Pairs compared equal before the first difference (all of them when there is none). */
  readonly compared: number;
  /** Of those, the pairs whose caller was hidden by an out-of-line wrapper (rule 3). */
  readonly callerHidden: number;
  /** Simulated entries memblock=debug does not print (rule 1). */
  readonly notPrinted: readonly SimLedgerItem[];
  /** Log operations set apart by the register (rule 4), with the entry that explains each. */
  readonly known: ReadonlyArray<{ readonly op: MemblockOperation; readonly entry: LedgerDivergence }>;
  /** Register entries for this profile that explained nothing: stale. */
  readonly unusedEntries: readonly LedgerDivergence[];
  readonly logCount: number;
  readonly simCount: number;
  readonly first: LedgerDifference | undefined;
  /** Rule 5: the first dump against the sim; undefined when the log has none or a difference comes first. */
  readonly dump: DumpComparison | undefined;
  /** Rule 6: the freed ranges on each side; undefined when no frees were given. */
  readonly frees: { readonly golden: readonly Range[]; readonly sim: readonly Range[]; readonly same: boolean } | undefined;
  readonly problems: readonly LedgerProblem[];
}

/** The first memblock_dump_all() against the simulated ledger and memory (rule 5). */
export interface DumpComparison {
  readonly line: number;
  /** Covered ranges, adjacent ones merged, on each side. */
  readonly reserved: { readonly golden: readonly Range[]; readonly sim: readonly Range[] };
  readonly memory: { readonly golden: readonly Range[]; readonly sim: readonly Range[] };
  readonly same: boolean;
}

const hex = (n: bigint | undefined): string => (n === undefined ? 'none' : `0x${n.toString(16)}`);

/** Compares one pair; undefined when equal. */
function comparePair(log: MemblockOperation, sim: SimLedgerItem): LedgerDifference['what'] | ItemVerdict {
  if (log.start !== sim.start) return 'address';
  if (log.size !== sim.size) return 'size';
  if (log.caller === undefined || OUT_OF_LINE_WRAPPERS.has(log.caller.fn)) return 'same-caller-hidden';
  if (sim.callers.length === 0) return 'no-sim-caller';
  return sim.callers.includes(log.caller.fn) ? 'same' : 'caller';
}

export interface LedgerInput {
  readonly profile: string;
  readonly kernel: string;
  readonly ops: readonly MemblockOperation[];
  readonly ledger: readonly LedgerEntry[];
  readonly register: readonly LedgerDivergence[];
  /** The capture's memblock_dump_all() listings. Default: none. */
  readonly dumps?: readonly MemblockDump[];
  /** The simulated memblock.memory at the end, for rule 5 (memory changes no more after e820__memblock_setup). Default: none. */
  readonly memory?: readonly Range[];
  /** The capture's freed ranges, for rule 6 (memblockFrees). Default: rule 6 not checked. */
  readonly frees?: readonly Range[];
}

/** Ranges as one sorted list with overlapping and touching ones joined (addToSorted joins both). */
function covered(rs: readonly Range[]): Range[] {
  let out: Range[] = [];
  for (const r of rs) out = addToSorted(out, r.start, r.end);
  return out;
}
const sameRanges = (a: readonly Range[], b: readonly Range[]): boolean => a.length === b.length && a.every((r, i) => r.start === b[i]!.start && r.end === b[i]!.end);
const regionRanges = (rs: readonly DumpRegion[]): Range[] => rs.map((r) => ({ start: r.start, end: r.end }));

/** Compares a simulated ledger with a capture's operations, one by one in boot order, up to the first difference. */
export function compareLedger(input: LedgerInput): LedgerComparison {
  const { items, problems } = expandLedger(input.ledger);
  const printed = items.filter((i) => i.notPrinted === undefined);
  const notPrinted = items.filter((i) => i.notPrinted !== undefined);
  const entries = input.register.filter((d) => registerCovers(d, input.profile, input.kernel));
  const known: Array<{ op: MemblockOperation; entry: LedgerDivergence }> = [];
  const used = new Set<LedgerDivergence>();
  const logOps: MemblockOperation[] = [];
  for (const op of input.ops) {
    const entry = op.caller === undefined ? undefined : entries.find((d) => d.ledger === op.caller!.fn);
    if (entry) {
      known.push({ op, entry });
      used.add(entry);
    } else logOps.push(op);
  }
  let compared = 0;
  let callerHidden = 0;
  let first: LedgerDifference | undefined;
  const n = Math.max(logOps.length, printed.length);
  for (let i = 0; i < n && first === undefined; i++) {
    const log = logOps[i];
    const sim = printed[i];
    if (log === undefined) first = { index: i, what: 'log-missing', log, sim };
    else if (sim === undefined) first = { index: i, what: 'sim-missing', log, sim };
    else {
      const v = comparePair(log, sim);
      if (v === 'same' || v === 'same-caller-hidden') {
        compared++;
        if (v === 'same-caller-hidden') callerHidden++;
      } else first = { index: i, what: v, log, sim };
    }
  }
  // rule 5: the first dump, when every operation before it agreed
  let dump: DumpComparison | undefined;
  const d = input.dumps?.[0];
  if (d && (first === undefined || (first.log !== undefined && first.log.line > d.line))) {
    const before = (op: MemblockOperation | undefined): boolean => op !== undefined && op.line < d.line;
    const made = (it: SimLedgerItem): Range => ({ start: it.start, end: it.start + it.size });
    const simReserved = covered([
      ...notPrinted.map(made),
      ...printed.filter((_, i) => before(logOps[i])).map(made),
      ...known.filter((k) => before(k.op) && k.op.start !== undefined).map((k) => ({ start: k.op.start!, end: k.op.start! + k.op.size })),
    ]);
    const reserved = { golden: covered(regionRanges(d.reserved)), sim: simReserved };
    const memory = { golden: covered(regionRanges(d.memory)), sim: covered(input.memory ?? []) };
    dump = { line: d.line, reserved, memory, same: sameRanges(reserved.golden, reserved.sim) && sameRanges(memory.golden, memory.sim) };
  }
  // rule 6: freed ranges, both sides as covered ranges
  let frees: LedgerComparison['frees'];
  if (input.frees) {
    const lost: Range[] = [];
    for (const e of input.ledger) {
      let left: Range[] = [...(e.made ?? e.ranges)];
      for (const r of e.ranges) left = subtractRanges(left, r);
      lost.push(...left);
    }
    const golden = covered(input.frees);
    const sim = covered(lost);
    frees = { golden, sim, same: sameRanges(golden, sim) };
  }
  return {
    compared, callerHidden, notPrinted, known, unusedEntries: entries.filter((d) => !used.has(d)),
    logCount: logOps.length, simCount: printed.length, first, dump, frees, problems,
  };
}

/** `rs` less `cut`. */
function subtractRanges(rs: readonly Range[], cut: Range): Range[] {
  const out: Range[] = [];
  for (const r of rs) {
    if (r.end <= cut.start || r.start >= cut.end) {
      out.push(r);
      continue;
    }
    if (r.start < cut.start) out.push({ start: r.start, end: cut.start });
    if (r.end > cut.end) out.push({ start: cut.end, end: r.end });
  }
  return out;
}

/** Rule 6 in words. */
export function describeFrees(f: NonNullable<LedgerComparison['frees']>): string {
  return f.same
    ? `frees agree (${f.golden.length} covered ranges)`
    : ['freed ranges differ', `  golden: ${rangesText(f.golden)}`, `  sim:    ${rangesText(f.sim)}`].join('\n');
}

const rangesText = (rs: readonly Range[]): string => (rs.length === 0 ? '(none)' : rs.map((r) => `[${hex(r.start)}-${hex(r.end - 1n)}]`).join(' '));

/** Rule 5 in words: what differs between the first dump and the sim. */
export function describeDump(d: DumpComparison, file: string): string {
  if (d.same) return `${file}:${d.line}: the first MEMBLOCK configuration agrees (memory ${d.memory.golden.length}, reserved ${d.reserved.golden.length} covered ranges)`;
  const out = [`${file}:${d.line}: the first MEMBLOCK configuration differs from the simulated ledger`];
  for (const k of ['memory', 'reserved'] as const) {
    if (sameRanges(d[k].golden, d[k].sim)) continue;
    out.push(`  ${k} golden: ${rangesText(d[k].golden)}`, `  ${k} sim:    ${rangesText(d[k].sim)}`);
  }
  return out.join('\n');
}

/** One operation of the capture, as a reader of the log would name it. */
export function describeOp(op: MemblockOperation, file: string): string {
  const caller = op.caller ? op.caller.name : '(request not printed)';
  const fn = op.request ? op.request.fn : 'memblock_reserve';
  return `${file}:${op.line}: ${fn} ${hex(op.start)} +${op.size} (${op.size} bytes) by ${caller}`;
}

/** One simulated item, with where it comes from. */
export function describeItem(it: SimLedgerItem): string {
  return `${hex(it.start)} +${it.size} (${it.size} bytes) by ${it.callers.length ? it.callers.join(' > ') : '(no caller)'}: "${it.why}" [stage ${it.stage}; ${it.source}]`;
}

/** The first difference in words: both sides and the item before it. */
export function describeDifference(c: LedgerComparison, file: string): string {
  const d = c.first;
  if (!d) return `all ${c.compared} reservations and allocations agree (${c.callerHidden} with the caller hidden by a wrapper)`;
  const what = {
    address: 'the address differs',
    size: 'the size differs',
    caller: 'the printed caller is not on the simulated call path',
    'no-sim-caller': 'the simulated entry names no caller (Why.caller)',
    'sim-missing': 'the capture has more reservations than the simulated ledger',
    'log-missing': 'the simulated ledger has more reservations than the capture',
  }[d.what];
  return [
    `first difference at operation ${d.index + 1} (after ${c.compared} equal): ${what}`,
    `  golden: ${d.log ? describeOp(d.log, file) : '(none)'}`,
    `  sim:    ${d.sim ? describeItem(d.sim) : '(none)'}`,
  ].join('\n');
}
