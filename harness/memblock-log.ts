// Reads the memblock=debug lines of a serial capture (goldens/<name>/serial-memblock.log): every
// memblock_dbg() that mm/memblock.c prints (5.10.223, 6.1.192, 6.12.115, 7.2.13) once
// early_memblock() has set memblock_debug in parse_early_param():
//   memblock_reserve / memblock_add / memblock_remove / memblock_free (≤ 5.15's physical free) /
//   memblock_phys_free / __memblock_free_late:
//       "%s: [%pa-%pa] %pS\n"                 (__func__, &base, &end, _RET_IP_), end inclusive
//   __memblock_reserve / memblock_add_node (7.2):
//       "%s: [%pa-%pa] nid=%d flags=%x %pS\n"
//   memblock_alloc_try_nid / memblock_alloc_try_nid_raw / memblock_alloc_exact_nid_raw:
//       "%s: %llu bytes align=0x%llx nid=%d from=%pa max_addr=%pa %pS\n"
//   memblock_phys_alloc_range:
//       "%s: %llu bytes align=0x%llx from=%pa max_addr=%pa %pS\n"
// and the region dump memblock_dump_all() prints (e820__memblock_setup(), numa_init()):
//   "MEMBLOCK configuration:", " memory size = %pa reserved size = %pa", then for memory and reserved
//   " %s.cnt  = 0x%lx" and " %s[%#x]\t[%pa-%pa], %pa bytes%s flags: %#x" (%s: " on node %d" or "").
// An allocation that succeeds is followed by the memblock_reserve that memblock_alloc_range_nid()
// makes for it; memblockOperations() pairs them. Like harness/normalise.ts (which reads the raw
// bytes first), problems are collected with their line numbers and reading goes on.
import { normaliseLog, type LogProblem } from './normalise.ts';

/** The memblock functions whose memblock_dbg() lines are read. */
export type MemblockRangeFn =
  | 'memblock_reserve' | '__memblock_reserve' | 'memblock_add' | 'memblock_add_node' | 'memblock_remove'
  | 'memblock_free' | 'memblock_phys_free' | '__memblock_free_late';
export type MemblockAllocFn = 'memblock_alloc_try_nid' | 'memblock_alloc_try_nid_raw' | 'memblock_alloc_exact_nid_raw' | 'memblock_phys_alloc_range';

const RANGE_FNS: ReadonlySet<string> = new Set<MemblockRangeFn>(['memblock_reserve', '__memblock_reserve', 'memblock_add', 'memblock_add_node', 'memblock_remove', 'memblock_free', 'memblock_phys_free', '__memblock_free_late']);
const ALLOC_FNS: ReadonlySet<string> = new Set<MemblockAllocFn>(['memblock_alloc_try_nid', 'memblock_alloc_try_nid_raw', 'memblock_alloc_exact_nid_raw', 'memblock_phys_alloc_range']);
const RESERVE_FNS: ReadonlySet<string> = new Set(['memblock_reserve', '__memblock_reserve']);

/** A %pS symbol: `setup_arch+0x797/0xd4f`, or `vmemmap_alloc_block_zero.constprop.0+0xc/0x28`. */
export interface KernelSymbol {
  /** As printed, e.g. "vmemmap_alloc_block_zero.constprop.0". */
  readonly name: string;
  /** Without the compiler's clone suffixes (.constprop.N, .isra.N, .part.N, .cold …): the source function. */
  readonly fn: string;
  readonly offset: number;
  readonly size: number;
}

/** `[base-end] caller` of memblock_reserve and its kin. */
export interface MemblockRangeLine {
  readonly kind: 'range';
  /** 1-based line in the raw file. */
  readonly line: number;
  readonly fn: MemblockRangeFn;
  readonly start: bigint;
  /** Exclusive: the printed end + 1. */
  readonly end: bigint;
  /** 7.2's __memblock_reserve and memblock_add_node print the node and flags; undefined elsewhere. */
  readonly nid?: number;
  readonly flags?: number;
  readonly caller: KernelSymbol;
}

/** An allocation request as memblock_alloc_* prints it, before it is served. */
export interface MemblockAllocLine {
  readonly kind: 'alloc';
  readonly line: number;
  readonly fn: MemblockAllocFn;
  readonly size: bigint;
  readonly align: bigint;
  /** Undefined for memblock_phys_alloc_range, which prints none. */
  readonly nid: number | undefined;
  readonly from: bigint;
  readonly maxAddr: bigint;
  readonly caller: KernelSymbol;
}

export type MemblockLine = MemblockRangeLine | MemblockAllocLine;

export type MemblockLogProblemCode = 'MEMBLOCK_LINE_UNPARSED' | 'MEMBLOCK_RESERVE_MISMATCH' | 'MEMBLOCK_DUMP_INCOMPLETE';

/** One region of a memblock_dump() listing. */
export interface DumpRegion {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
  /** Undefined when none is printed (MAX_NUMNODES). */
  readonly nid: number | undefined;
  readonly flags: number;
}

/** One memblock_dump_all(): the totals and both region arrays, as printed. */
export interface MemblockDump {
  /** The "MEMBLOCK configuration:" line. */
  readonly line: number;
  readonly memorySize: bigint;
  readonly reservedSize: bigint;
  readonly memory: readonly DumpRegion[];
  readonly reserved: readonly DumpRegion[];
}

export interface MemblockLogProblem {
  readonly line: number;
  readonly code: MemblockLogProblemCode | LogProblem['code'];
  readonly message: string;
}

export interface MemblockLog {
  readonly file: string;
  readonly lines: readonly MemblockLine[];
  /** Each memblock_dump_all(), in order. */
  readonly dumps: readonly MemblockDump[];
  /** The normaliser's problems (not UTF-8, merged lines …) and this reader's, in line order. */
  readonly problems: readonly MemblockLogProblem[];
}

const HEX = '0x[0-9a-f]+';
// %pS: symbol+0xoff/0xsize, optionally " [module]"
const SYM = '([A-Za-z_][\\w.]*)\\+(0x[0-9a-f]+)/(0x[0-9a-f]+)(?: \\[\\w+\\])?';
const RANGE_RE = new RegExp(`^(\\w+): \\[(${HEX})-(${HEX})\\](?: nid=(-?\\d+) flags=([0-9a-f]+))? ${SYM}$`);
/** The functions that print nid= and flags= (7.2): "%s: [%pa-%pa] nid=%d flags=%x %pS". */
const NID_FLAGS_FNS: ReadonlySet<string> = new Set(['__memblock_reserve', 'memblock_add_node']);
const ALLOC_RE = new RegExp(`^(\\w+): (\\d+) bytes align=(${HEX})(?: nid=(-?\\d+))? from=(${HEX}) max_addr=(${HEX}) ${SYM}$`);
// Any line that names one of the functions read, so that a damaged one is reported, never skipped.
const HEAD_RE = /^(\w+): /;
const DUMP_START = 'MEMBLOCK configuration:';
const DUMP_SIZES_RE = new RegExp(`^ memory size = (${HEX}) reserved size = (${HEX})$`);
const DUMP_CNT_RE = /^ (memory|reserved)\.cnt {2}= (0x[0-9a-f]+)$/;
const DUMP_REGION_RE = new RegExp(`^ (memory|reserved)\\[(0x[0-9a-f]+)\\]\\t\\[(${HEX})-(${HEX})\\], (${HEX}) bytes(?: on node (\\d+))? flags: (0x[0-9a-f]+|0)$`);

/** Reads one memblock_dump_all() from `lines[i]` (its "MEMBLOCK configuration:" line); returns it and the index after it. */
function readDump(lines: readonly { lineNo: number; text: string }[], i: number, problems: MemblockLogProblem[]): { dump: MemblockDump | undefined; next: number } {
  const at = lines[i]!.lineNo;
  const sizes = DUMP_SIZES_RE.exec(lines[i + 1]?.text ?? '');
  if (!sizes) {
    problems.push({ line: lines[i + 1]?.lineNo ?? at, code: 'MEMBLOCK_DUMP_INCOMPLETE', message: `expected " memory size = 0x… reserved size = 0x…" after "${DUMP_START}", got ${JSON.stringify(lines[i + 1]?.text ?? '(end of log)')}` });
    return { dump: undefined, next: i + 1 };
  }
  const arrays: Record<'memory' | 'reserved', DumpRegion[]> = { memory: [], reserved: [] };
  let j = i + 2;
  for (const name of ['memory', 'reserved'] as const) {
    const cnt = DUMP_CNT_RE.exec(lines[j]?.text ?? '');
    if (!cnt || cnt[1] !== name) {
      problems.push({ line: lines[j]?.lineNo ?? at, code: 'MEMBLOCK_DUMP_INCOMPLETE', message: `expected " ${name}.cnt  = 0x…", got ${JSON.stringify(lines[j]?.text ?? '(end of log)')}` });
      return { dump: undefined, next: j };
    }
    j++;
    const n = Number.parseInt(cnt[2]!, 16);
    for (let k = 0; k < n; k++, j++) {
      const m = DUMP_REGION_RE.exec(lines[j]?.text ?? '');
      if (!m || m[1] !== name || Number.parseInt(m[2]!, 16) !== k) {
        problems.push({ line: lines[j]?.lineNo ?? at, code: 'MEMBLOCK_DUMP_INCOMPLETE', message: `expected " ${name}[${'0x' + k.toString(16)}]\t[0x…-0x…], 0x… bytes flags: 0x…" (${n} regions), got ${JSON.stringify(lines[j]?.text ?? '(end of log)')}` });
        return { dump: undefined, next: j };
      }
      arrays[name].push({ start: BigInt(m[3]!), end: BigInt(m[4]!) + 1n, nid: m[6] === undefined ? undefined : Number(m[6]), flags: Number.parseInt(m[7]!, 16) });
    }
  }
  return { dump: { line: at, memorySize: BigInt(sizes[1]!), reservedSize: BigInt(sizes[2]!), memory: arrays.memory, reserved: arrays.reserved }, next: j };
}

/** The source function of a compiler clone: gcc names them f.constprop.0, f.isra.0, f.part.0, f.cold. */
export function sourceFunction(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function symbol(name: string, off: string, size: string): KernelSymbol {
  return { name, fn: sourceFunction(name), offset: Number.parseInt(off, 16), size: Number.parseInt(size, 16) };
}

/** Parses the memblock=debug lines of a raw serial capture. Never throws on a bad log. */
export function parseMemblockLog(raw: Uint8Array | string, file: string): MemblockLog {
  const log = normaliseLog(raw, file);
  const problems: MemblockLogProblem[] = log.problems.filter((p) => p.line > 0 && p.code !== 'WINDOW_INCOMPLETE').map((p) => ({ line: p.line, code: p.code, message: p.message }));
  const lines: MemblockLine[] = [];
  const dumps: MemblockDump[] = [];
  for (let i = 0; i < log.lines.length; i++) {
    const l = log.lines[i]!;
    if (l.text === DUMP_START) {
      const r = readDump(log.lines, i, problems);
      if (r.dump) dumps.push(r.dump);
      i = r.next - 1;
      continue;
    }
    const head = HEAD_RE.exec(l.text);
    if (!head || !(RANGE_FNS.has(head[1]!) || ALLOC_FNS.has(head[1]!))) continue;
    const fn = head[1]!;
    if (RANGE_FNS.has(fn)) {
      const m = RANGE_RE.exec(l.text);
      const nidFlags = NID_FLAGS_FNS.has(fn);
      if (!m || (m[4] !== undefined) !== nidFlags) {
        problems.push({ line: l.lineNo, code: 'MEMBLOCK_LINE_UNPARSED', message: `expected "${fn}: [0x…-0x…]${nidFlags ? ' nid=N flags=X' : ''} caller+0x…/0x…", got ${JSON.stringify(l.text)}` });
        continue;
      }
      const start = BigInt(m[2]!);
      const last = BigInt(m[3]!);
      lines.push({
        kind: 'range', line: l.lineNo, fn: fn as MemblockRangeFn, start, end: last + 1n,
        ...(m[4] !== undefined ? { nid: Number(m[4]), flags: Number.parseInt(m[5]!, 16) } : {}), caller: symbol(m[6]!, m[7]!, m[8]!),
      });
      continue;
    }
    const m = ALLOC_RE.exec(l.text);
    // memblock_phys_alloc_range prints no nid; the others always do
    if (!m || (m[4] === undefined) !== (fn === 'memblock_phys_alloc_range')) {
      const nid = fn === 'memblock_phys_alloc_range' ? '' : ' nid=…';
      problems.push({ line: l.lineNo, code: 'MEMBLOCK_LINE_UNPARSED', message: `expected "${fn}: N bytes align=0x…${nid} from=0x… max_addr=0x… caller+0x…/0x…", got ${JSON.stringify(l.text)}` });
      continue;
    }
    lines.push({
      kind: 'alloc', line: l.lineNo, fn: fn as MemblockAllocFn, size: BigInt(m[2]!), align: BigInt(m[3]!),
      nid: m[4] === undefined ? undefined : Number(m[4]), from: BigInt(m[5]!), maxAddr: BigInt(m[6]!), caller: symbol(m[7]!, m[8]!, m[9]!),
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return { file, lines, dumps, problems };
}

/** The functions that give memory back to memblock: memblock_free (≤ 5.15, physical), memblock_phys_free, __memblock_free_late. */
const FREE_FNS: ReadonlySet<string> = new Set<MemblockRangeFn>(['memblock_free', 'memblock_phys_free', '__memblock_free_late']);

/** Every range the capture frees, in order (the memblock_free(ptr) of 5.16+ prints as memblock_phys_free). */
export function memblockFrees(log: MemblockLog): MemblockRangeLine[] {
  return log.lines.filter((l): l is MemblockRangeLine => l.kind === 'range' && FREE_FNS.has(l.fn));
}

/** One reservation or allocation the boot made, as the log shows it. */
export interface MemblockOperation {
  readonly op: 'reserve' | 'alloc';
  /** The line that names the caller: the memblock_reserve, or the allocation request. */
  readonly line: number;
  /** The reserved range; undefined for an allocation that failed (no memblock_reserve followed). */
  readonly start: bigint | undefined;
  readonly size: bigint;
  /**
   * The %pS caller: of the memblock_reserve, or of the allocation request. Undefined for an
   * allocation whose request prints nothing (memblock_phys_alloc_try_nid() goes straight to
   * memblock_alloc_range_nid()): only its reserve, by memblock_alloc_range_nid, is seen.
   */
  readonly caller: KernelSymbol | undefined;
  /** For an allocation: the request line. */
  readonly request?: MemblockAllocLine;
}

/**
 * The reservations and allocations, in boot order: each allocation request paired with the
 * memblock_reserve by memblock_alloc_range_nid that follows it (same size). Frees, adds and
 * removes are not operations of this list. Pairing problems are collected, never thrown.
 */
export function memblockOperations(log: MemblockLog): { ops: MemblockOperation[]; problems: MemblockLogProblem[] } {
  const ops: MemblockOperation[] = [];
  const problems: MemblockLogProblem[] = [];
  const ls = log.lines;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    if (l.kind === 'alloc') {
      const next = ls[i + 1];
      const served = next?.kind === 'range' && RESERVE_FNS.has(next.fn) && next.caller.fn === 'memblock_alloc_range_nid';
      if (served && next.end - next.start !== l.size) {
        problems.push({ line: next.line, code: 'MEMBLOCK_RESERVE_MISMATCH', message: `expected the reserve of the ${l.size}-byte request on line ${l.line}, got ${next.end - next.start} bytes` });
      }
      ops.push({ op: 'alloc', line: l.line, start: served ? next.start : undefined, size: l.size, caller: l.caller, request: l });
      if (served) i++;
      continue;
    }
    if (!RESERVE_FNS.has(l.fn)) continue;
    if (l.caller.fn === 'memblock_alloc_range_nid') {
      // an allocation whose API prints no request (memblock_phys_alloc_try_nid)
      ops.push({ op: 'alloc', line: l.line, start: l.start, size: l.end - l.start, caller: undefined });
      continue;
    }
    ops.push({ op: 'reserve', line: l.line, start: l.start, size: l.end - l.start, caller: l.caller });
  }
  return { ops, problems };
}
