// models setup_arch()'s crash kernel reservation, right after initmem_init() and
// dma_contiguous_reserve(): the command-line parse of kernel/crash_core.c (5.10.223, 6.1.192) and
// kernel/crash_reserve.c (6.12.115, 7.2.13) — get_last_crashkernel(), parse_crashkernel_simple(),
// parse_crashkernel_mem(), parse_crashkernel_suffix() — and the reservation itself:
// arch/x86/kernel/setup.c reserve_crashkernel()/reserve_crashkernel_low() (5.10, 6.1; the x86 code)
// or arch_reserve_crashkernel() → kernel/crash_reserve.c reserve_crashkernel_generic() and
// reserve_crashkernel_low() (6.12, 7.2; x86 moved to the generic code in 6.7). Each is a
// memblock_phys_alloc_range() the region then keeps (it stays in memblock.reserved, so it is part
// of the Memory: line's reserved), and one line says where it went.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { bootCommandLine } from './cmdline.ts';
import { swiotlbSizeOrDefault } from './mm-core-misc.ts';
import { term } from './mm-inputs.ts';
import { memblockAllocRangeNid, memblockPhysMemSize, memblockStateOf, withMemblock, NUMA_NO_NODE, type MemblockState } from './memblock.ts';
import { memparse } from '../lib/memparse.ts';
import { hexPad } from '../lib/printk.ts';
import { SZ_16M, SZ_1M, SZ_4G } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'crashkernel';
/** arch/x86/kernel/setup.c (≤ 6.1), arch/x86/include/asm/crash_reserve.h (6.12+): CRASH_ALIGN SZ_16M. */
export const CRASH_ALIGN = SZ_16M;
const SZ_128M = 128n * SZ_1M;
const SZ_256M = 256n * SZ_1M;
const SZ_512M = 512n * SZ_1M;
const SZ_64T = 64n << 40n;

/** CRASH_ADDR_LOW_MAX / CRASH_ADDR_HIGH_MAX: 512M and 512M on X86_32, 4G and 64T on X86_64. */
export function crashAddrLimits(traits: KernelTraits): { low: bigint; high: bigint } {
  return traits.arch === 'i386' ? { low: SZ_512M, high: SZ_512M } : { low: SZ_4G, high: SZ_64T };
}

const SUFFIXES = [',high', ',low', ',cma'] as const;
type Suffix = (typeof SUFFIXES)[number];

/** A crashkernel= form this model does not follow, or a parse the kernel warns about. */
function refuse(what: string): never {
  throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: ${what}`);
}

/**
 * get_last_crashkernel(cmdline, "crashkernel=", suffix): the last strstr() hit whose token (up to
 * the next space) ends with the suffix, or with no known suffix when suffix is undefined. Returns
 * the text after "crashkernel=" up to the end of the command line, or undefined (-ENOENT).
 * The suffix table is ",high", ",low" (5.10–6.12) and ",cma" too (7.2).
 */
export function lastCrashkernel(cmdline: string, suffix: Suffix | undefined, knownSuffixes: readonly Suffix[]): string | undefined {
  const name = 'crashkernel=';
  let hit: number | undefined;
  for (let p = cmdline.indexOf(name); p >= 0; p = cmdline.indexOf(name, p + 1)) {
    const sp = cmdline.indexOf(' ', p);
    const token = cmdline.slice(p, sp < 0 ? cmdline.length : sp);
    if (suffix === undefined) {
      if (!knownSuffixes.some((s) => token.endsWith(s))) hit = p;
    } else if (token.endsWith(suffix)) hit = p;
  }
  return hit === undefined ? undefined : cmdline.slice(hit + name.length);
}

/** What the parse leaves: size and base (0: find it), and for ",high", the low size. */
export interface CrashRequest {
  readonly size: bigint;
  readonly base: bigint;
  readonly high: boolean;
  /** ",high" only: crashkernel=Y,low, or undefined when none is given (the default applies). */
  readonly lowSize: bigint | undefined;
  readonly explain: readonly ExplainTerm[];
}

/**
 * parse_crashkernel_mem(): "ramsize-range:size[,...][@offset]"; the first range holding
 * system_ram (rounded up to 128M from 6.1: "Firmware sometimes reserves some memory regions")
 * gives the size. Its pr_warn paths (malformed lists) are refused by name.
 */
function parseMem(ck: string, systemRam: bigint, roundup128M: boolean): { size: bigint; base: bigint } {
  const total = roundup128M ? ((systemRam + SZ_128M - 1n) / SZ_128M) * SZ_128M : systemRam;
  let cur = ck;
  let size = 0n;
  for (;;) {
    const start = memparse(cur);
    if (start.empty) refuse(`crashkernel=${ck.split(' ')[0]}: "Memory value expected" (the kernel warns and reserves nothing) is not modelled`);
    cur = start.rest;
    if (cur[0] !== '-') refuse(`crashkernel=${ck.split(' ')[0]}: "'-' expected" is not modelled`);
    cur = cur.slice(1);
    let end: bigint | undefined;
    if (cur[0] !== ':') {
      const e = memparse(cur);
      if (e.empty || e.value <= start.value) refuse(`crashkernel=${ck.split(' ')[0]}: a range end that is missing or not above its start is not modelled`);
      end = e.value;
      cur = e.rest;
    }
    if (cur[0] !== ':') refuse(`crashkernel=${ck.split(' ')[0]}: "':' expected" is not modelled`);
    cur = cur.slice(1);
    const sz = memparse(cur);
    if (sz.empty) refuse(`crashkernel=${ck.split(' ')[0]}: "Memory value expected" is not modelled`);
    cur = sz.rest;
    if (sz.value >= total) refuse(`crashkernel=${ck.split(' ')[0]}: "crashkernel: invalid size" (a size not below the RAM) is not modelled`);
    if (total >= start.value && (end === undefined || total < end)) {
      size = sz.value;
      break;
    }
    // while (*cur++ == ',')
    const c = cur[0];
    cur = cur.slice(1);
    if (c !== ',') break;
  }
  if (size === 0n) refuse(`crashkernel=${ck.split(' ')[0]}: no range holds the RAM ("crashkernel size resulted in zero bytes") — not modelled`);
  let base = 0n;
  let i = 0;
  while (i < cur.length && cur[i] !== ' ' && cur[i] !== '@') i++;
  if (cur[i] === '@') {
    const b = memparse(cur.slice(i + 1));
    if (b.empty) refuse(`crashkernel=${ck.split(' ')[0]}: "Memory value expected after '@'" is not modelled`);
    base = b.value;
  }
  return { size, base };
}

/** parse_crashkernel_simple(): "size[@offset]"; any other trailing character is refused (the kernel warns). */
function parseSimple(ck: string): { size: bigint; base: bigint } {
  const s = memparse(ck);
  if (s.empty) refuse(`crashkernel=${ck.split(' ')[0]}: "memory value expected" is not modelled`);
  if (s.rest[0] === '@') {
    const b = memparse(s.rest.slice(1));
    // memparse(cur+1, &cur) is not checked: whatever follows the offset is ignored
    return { size: s.value, base: b.value };
  }
  if (s.rest !== '' && s.rest[0] !== ' ') refuse(`crashkernel=${ck.split(' ')[0]}: "unrecognized char: ${s.rest[0]}" is not modelled`);
  return { size: s.value, base: 0n };
}

/** parse_crashkernel_suffix(): "size,high" / "size,low"; anything else is refused (the kernel warns). */
function parseSuffix(ck: string, suffix: Suffix): bigint {
  const s = memparse(ck);
  const token = ck.split(' ')[0];
  if (s.empty) refuse(`crashkernel=${token}: "memory value expected" is not modelled`);
  if (!s.rest.startsWith(suffix)) refuse(`crashkernel=${token}: "unrecognized char" is not modelled`);
  const after = s.rest.slice(suffix.length);
  if (after !== '' && after[0] !== ' ') refuse(`crashkernel=${token}: "unrecognized char" is not modelled`);
  return s.value;
}

/** __parse_crashkernel(): the extended syntax when a ':' comes before the first space. */
function parseNoSuffix(ck: string, systemRam: bigint, roundup128M: boolean): { size: bigint; base: bigint } {
  const colon = ck.indexOf(':');
  const space = ck.indexOf(' ');
  if (colon >= 0 && (space < 0 || colon < space)) return parseMem(ck, systemRam, roundup128M);
  return parseSimple(ck);
}

/**
 * What the kernel's parse asks for, or undefined when it reserves nothing and prints nothing.
 * ≤ 6.1 (reserve_crashkernel): parse_crashkernel(), else parse_crashkernel_high(); a size of 0
 * returns. 6.12+ (parse_crashkernel with low_size/high): the plain form, else ",high" with an
 * optional ",low"; then a size of 0 or one not below system_ram is -EINVAL (nothing is printed).
 */
export function crashkernelRequest(cmdline: string, systemRam: bigint, traits: KernelTraits): CrashRequest | undefined {
  const generic = traits.crashkernel === 'generic';
  const known: readonly Suffix[] = traits.crashkernelCmaSuffix ? SUFFIXES : [',high', ',low'];
  if (traits.crashkernelCmaSuffix && lastCrashkernel(cmdline, ',cma', known) !== undefined) refuse('crashkernel=…,cma: the CMA part of the crash kernel (reserve_crashkernel_cma) is not modelled');
  const src = generic ? 'kernel/crash_reserve.c parse_crashkernel() (6.12)' : 'kernel/crash_core.c parse_crashkernel() (6.1)';
  const ram = term('System RAM', `${systemRam >> 20n}MB`, 'memblock_phys_mem_size()');
  const lo = lastCrashkernel(cmdline, ',low', known);
  // ≤ 6.1 reserve_crashkernel_low() parses ",low" whenever the crash kernel lands above 4G; a
  // malformed one makes the kernel warn, which is refused
  const lowOld = (): bigint | undefined => (lo === undefined ? undefined : parseSuffix(lo, ',low'));
  const plain = lastCrashkernel(cmdline, undefined, known);
  if (plain !== undefined) {
    const { size, base } = parseNoSuffix(plain, systemRam, traits.crashkernelMemRoundup);
    if (generic && size >= systemRam) return undefined;
    if (size !== 0n) {
      return { size, base, high: false, lowSize: generic ? undefined : lowOld(), explain: [term('crashkernel=', plain.split(' ')[0]!, src), ram] };
    }
    // 6.12+: a plain form of size 0 is -EINVAL; ≤ 6.1 reserve_crashkernel() goes on to ",high"
    if (generic) return undefined;
  }
  const hi = lastCrashkernel(cmdline, ',high', known);
  if (hi === undefined) return undefined;
  // the ",high" and ",low" suffix forms parse against system_ram 0 on 6.12+ (no check of their size)
  const size = parseSuffix(hi, ',high');
  if (size === 0n) return undefined;
  if (generic && size >= systemRam) return undefined;
  const lowSize = generic ? (lo === undefined ? undefined : parseSuffix(lo, ',low')) : lowOld();
  return {
    size, base: 0n, high: true, lowSize,
    explain: [term('crashkernel=', hi.split(' ')[0]!, src), ...(lo !== undefined ? [term('crashkernel= (low)', lo.split(' ')[0]!, src)] : []), ram],
  };
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: STAGE, fmt, text, ...(explain ? { explain } : {}) });

/** The low part failing: the kernel prints the text and frees the crash region; no capture has shown it, so it is refused rather than printed uncompared. */
function failed(text: string): never {
  refuse(`crashkernel: the reservation fails here ("${text}"), a path no golden has shown`);
}

/** The reservation failing: reserve_crashkernel()/reserve_crashkernel_generic() print why and return, nothing reserved. */
const failLine = (c: Ctx, text: string, req: CrashRequest): void => {
  c.lines.push(line('crashkernel.failed', text, { crash: req.explain }));
};

interface Ctx {
  mb: MemblockState;
  readonly lines: DmesgLine[];
  readonly caller: string;
  readonly source: string;
}

/** memblock_phys_alloc_range(size, align, start, end): memblock_alloc_range_nid(…, NUMA_NO_NODE, false); 0 when no room. */
function physAllocRange(c: Ctx, size: bigint, align: bigint, start: bigint, end: bigint, why: string, caller = c.caller): bigint {
  const r = memblockAllocRangeNid(c.mb, { size, align, start, end, nid: NUMA_NO_NODE, why, source: c.source, stage: STAGE, caller });
  if (!r) return 0n;
  c.mb = r.mb;
  return r.addr;
}

/** The low part for a crash kernel above 4G (X86_64; X86_32 has no crash_base ≥ 4G). */
function lowPart(c: Ctx, ctx: BootContext, req: CrashRequest, defaultLow: bigint, generic: boolean): void {
  const { low: LOW_MAX } = crashAddrLimits(ctx.traits);
  const lowSize = req.lowSize ?? defaultLow;
  if (lowSize === 0n) return;
  const caller = `${c.caller} > reserve_crashkernel_low`;
  const base = physAllocRange(c, lowSize, CRASH_ALIGN, 0n, LOW_MAX, 'crashkernel low memory', caller);
  const ex = { low: [term('low_size', `${lowSize >> 20n}MB`, req.lowSize !== undefined ? 'crashkernel=Y,low' : 'max(swiotlb_size_or_default() + 8M, 256M)')] };
  // on failure the kernel frees the crash region again (memblock_phys_free) and returns
  if (base === 0n) {
    failed(generic ? `cannot allocate crashkernel low memory (size:0x${lowSize.toString(16)}).` : `Cannot reserve ${lowSize >> 20n}MB crashkernel low memory, please try smaller size.`);
  }
  if (generic) c.lines.push(line('crashkernel.low_generic', `crashkernel low memory reserved: 0x${hexPad(base, 8)} - 0x${hexPad(base + lowSize, 8)} (${lowSize >> 20n} MB)`, ex));
  else {
    const limit = memblockPhysMemSize(c.mb) < LOW_MAX ? memblockPhysMemSize(c.mb) : LOW_MAX;
    c.lines.push(line('crashkernel.low', `Reserving ${lowSize >> 20n}MB of low memory at ${base >> 20n}MB for crashkernel (low RAM limit: ${limit >> 20n}MB)`, ex));
  }
}

/** arch/x86/kernel/setup.c reserve_crashkernel() (5.10.223, 6.1.192). */
function reserveX86(c: Ctx, ctx: BootContext, req: CrashRequest, totalMem: bigint): void {
  const { low: LOW_MAX, high: HIGH_MAX } = crashAddrLimits(ctx.traits);
  let base = req.base;
  if (base === 0n) {
    // "try low memory first and fall back to high memory unless crashkernel=size[KMG],high"
    if (!req.high) base = physAllocRange(c, req.size, CRASH_ALIGN, CRASH_ALIGN, LOW_MAX, 'crashkernel');
    if (base === 0n) base = physAllocRange(c, req.size, CRASH_ALIGN, CRASH_ALIGN, HIGH_MAX, 'crashkernel');
    if (base === 0n) {
      failLine(c, 'crashkernel reservation failed - No suitable area found.', req);
      return;
    }
  } else {
    const start = physAllocRange(c, req.size, SZ_1M, base, base + req.size, 'crashkernel (fixed base)');
    if (start !== base) {
      // a reservation at another address is impossible: the range is exactly [base, base + size)
      failLine(c, 'crashkernel reservation failed - memory is in use.', req);
      return;
    }
  }
  // reserve_crashkernel_low(): parse_crashkernel_low() failing (no ",low") means the default size
  if (base >= SZ_4G && ctx.traits.arch === 'x86_64') {
    const dflt = maxBig(swiotlbSizeOrDefault(ctx) + 8n * SZ_1M, SZ_256M);
    lowPart(c, ctx, req, dflt, false);
  }
  c.lines.push(line('crashkernel.reserved', `Reserving ${req.size >> 20n}MB of memory at ${base >> 20n}MB for crashkernel (System RAM: ${totalMem >> 20n}MB)`, { crash: req.explain }));
}

/** kernel/crash_reserve.c reserve_crashkernel_generic() (6.12.115, 7.2.13). */
function reserveGeneric(c: Ctx, ctx: BootContext, req: CrashRequest): void {
  const { low: LOW_MAX, high: HIGH_MAX } = crashAddrLimits(ctx.traits);
  // arch/x86/include/asm/crash_reserve.h crash_low_size_default(): X86_64 only
  const dflt = ctx.traits.arch === 'x86_64' ? maxBig(swiotlbSizeOrDefault(ctx) + 8n * SZ_1M, SZ_256M) : 0n;
  let lowSize = req.high ? (req.lowSize ?? dflt) : 0n;
  let searchBase = 0n;
  let searchEnd = LOW_MAX;
  const fixed = req.base !== 0n;
  if (fixed) {
    searchBase = req.base;
    searchEnd = req.base + req.size;
  } else if (req.high) {
    searchBase = LOW_MAX;
    searchEnd = HIGH_MAX;
  }
  let base = 0n;
  for (;;) {
    base = physAllocRange(c, req.size, CRASH_ALIGN, searchBase, searchEnd, 'crashkernel');
    if (base !== 0n) break;
    if (fixed) {
      failLine(c, 'crashkernel reservation failed - memory is in use.', req);
      return;
    }
    if (!req.high && searchEnd === LOW_MAX) {
      searchEnd = HIGH_MAX;
      searchBase = LOW_MAX;
      lowSize = dflt;
      continue;
    }
    if (req.high && searchEnd === HIGH_MAX) {
      searchEnd = LOW_MAX;
      searchBase = 0n;
      // "if (search_end != CRASH_ADDR_HIGH_MAX) goto retry": X86_32 has LOW_MAX == HIGH_MAX
      if (searchEnd !== HIGH_MAX) continue;
    }
    failLine(c, `cannot allocate crashkernel (size:0x${req.size.toString(16)})`, req);
    return;
  }
  if (base >= LOW_MAX && lowSize !== 0n) {
    lowPart(c, ctx, { ...req, lowSize }, lowSize, true);
  }
  c.lines.push(line('crashkernel.reserved_generic', `crashkernel reserved: 0x${hexPad(base, 16)} - 0x${hexPad(base + req.size, 16)} (${req.size >> 20n} MB)`, { crash: req.explain }));
}

const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/**
 * setup_arch() → reserve_crashkernel() (≤ 6.1) / arch_reserve_crashkernel() (6.12+), after
 * initmem_init() and dma_contiguous_reserve(). CONFIG_KEXEC_CORE (≤ 6.1) or CONFIG_CRASH_RESERVE
 * (6.12+) must be set, as on every Debian build read.
 */
export const reserveCrashkernel: StageFn = (state: BootState, ctx: BootContext): StageResult => {
  const traits = ctx.traits;
  const cl = bootCommandLine(ctx.spec);
  if (!cl.includes('crashkernel=')) return { state, lines: [] };
  const enabled = ctx.kernel.facts.config[traits.crashkernel === 'generic' ? 'CRASH_RESERVE' : 'KEXEC_CORE'] === 'y';
  if (!enabled) return { state, lines: [] };
  const mb = memblockStateOf(state);
  const totalMem = memblockPhysMemSize(mb);
  const req = crashkernelRequest(cl, totalMem, traits);
  if (!req) return { state, lines: [] };
  const generic = traits.crashkernel === 'generic';
  const c: Ctx = {
    mb, lines: [],
    caller: generic ? 'setup_arch > arch_reserve_crashkernel > reserve_crashkernel_generic' : 'setup_arch > reserve_crashkernel',
    source: generic ? 'kernel/crash_reserve.c: reserve_crashkernel_generic() (6.12)' : 'arch/x86/kernel/setup.c: reserve_crashkernel() (6.1)',
  };
  if (generic) reserveGeneric(c, ctx, req);
  else reserveX86(c, ctx, req, totalMem);
  // memblock_find_dma_reserve() (x86_64 ≤ 6.1) runs after this and counts reservations below 16M:
  // a crash region there would change "DMA zone: N pages reserved", which is taken from the NUMA stage
  const made = c.mb.ledger.slice(mb.ledger.length).filter((e) => e.stage === STAGE);
  if (traits.arch === 'x86_64' && !generic && made.some((e) => e.ranges.some((x) => x.start < SZ_16M))) {
    refuse('crashkernel: a region below 16M, which memblock_find_dma_reserve() would count, is not modelled');
  }
  return { state: withMemblock(state, c.mb), lines: c.lines };
};
