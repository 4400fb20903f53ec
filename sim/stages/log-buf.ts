// models kernel/printk/printk.c setup_log_buf() and log_buf_len= (log_buf_len_setup,
// log_buf_len_update, log_buf_add_cpu), read in 5.10.223, 6.1.192, 6.12.117 (pinned 6.12.115) and
// 7.2.13: the same rules in all four, but for the line that reports the new size (below).
// setup_arch() calls setup_log_buf(1) right after memblock_set_current_limit(get_max_mapped())
// (arch/x86/kernel/setup.c, both arches), start_kernel() calls setup_log_buf(0) after
// setup_per_cpu_areas(). The first call that finds a new length replaces the static __log_buf with
// three memblock_alloc(…, LOG_ALIGN) blocks: the text ring, the prb_desc array and the printk_info
// array, one descriptor per 2^PRB_AVGBITS text bytes. The second call then returns at once.
//
// Lines: "log_buf_len: %u bytes" (≤ 6.12) or "log buffer data + meta data: %u + %zu = %zu bytes"
// (7.2, print_log_buf_usage_stats, which setup_log_buf(0) prints for the static buffer too), and
// from log_buf_add_cpu() its three "log_buf_len …" lines.
// Not printed: "early log buf free: %u(%u%%)", which counts the text of every line printed before
// it, most of them outside the model (harness/catalog does not claim it).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import { sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine } from '../types.ts';
import { parseParams, bootCommandLine } from './cmdline.ts';
import { configNumber, structBytes, term, topologyOf } from './mm-inputs.ts';
import { memblockAlloc, memblockStateOf, withMemblock } from './memblock.ts';
import { memparse } from '../lib/memparse.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'log_buf';
/** kernel/printk/printk.c: PRB_AVGBITS 5, "32 character average length". */
export const PRB_AVGBITS = 5n;
/** kernel/printk/printk.c: LOG_BUF_LEN_MAX ((u32)1 << 31). */
export const LOG_BUF_LEN_MAX = 1n << 31n;

/** What setup_log_buf() left: whether log_buf is still the static __log_buf. */
export interface LogBufState {
  /** log_buf_len after the call: __LOG_BUF_LEN, or the new length. */
  readonly len: bigint;
  readonly replaced: boolean;
}

export function logBufStateOf(state: BootState): LogBufState | undefined {
  return sliceIfAny(state, 'logBuf');
}

/** include/linux/log2.h roundup_pow_of_two() (size > 0). */
function roundupPowOfTwo(n: bigint): bigint {
  let p = 1n;
  while (p < n) p <<= 1n;
  return p;
}

/**
 * log_buf_len_update(size): clamp to LOG_BUF_LEN_MAX (with a pr_err, refused here), round up to a
 * power of two, and keep it only if it exceeds the current log_buf_len.
 */
export function logBufLenUpdate(newLen: bigint, size: bigint, logBufLen: bigint): bigint {
  if (size > LOG_BUF_LEN_MAX) throw new SimError('SIM_NOT_MODELLED', STAGE, `log_buf_len: ${size} bytes is over 2G ("log_buf over 2G is not supported." path)`);
  const s = size === 0n ? 0n : roundupPowOfTwo(size);
  return s > logBufLen ? s : newLen;
}

/**
 * parse_early_param() → log_buf_len_setup() for each log_buf_len=, in command-line order:
 * new_log_buf_len, 0 when none asks for more than the static buffer. The name is matched as
 * do_early_param() does (parameq: '-' and '_' alike).
 */
export function logBufLenSetup(cmdline: string, logBufLen: bigint): bigint {
  let newLen = 0n;
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param.replace(/-/g, '_') !== 'log_buf_len') continue;
    // !str → -EINVAL → "Malformed early option 'log_buf_len'"
    if (p.val === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'cmdline: log_buf_len without a value prints "Malformed early option", not modelled');
    newLen = logBufLenUpdate(newLen, memparse(p.val).value, logBufLen);
  }
  return newLen;
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'log-buf', fmt, text, ...(explain ? { explain } : {}) });

/** setup_log_buf(early) once new_log_buf_len is known: the three allocations and the size line. */
function replaceLogBuf(state: BootState, ctx: BootContext, newLen: bigint, call: string, caller: string): StageResult {
  const traits = ctx.traits;
  // LOG_ALIGN __alignof__(unsigned long)
  const align = traits.arch === 'x86_64' ? 8n : 4n;
  const descs = newLen >> PRB_AVGBITS;
  const descBytes = structBytes(ctx, 'prb_desc', STAGE);
  const infoBytes = structBytes(ctx, 'printk_info', STAGE);
  const src = `kernel/printk/printk.c: ${call}`;
  let mb = memblockStateOf(state);
  for (const [why, size] of [['log_buf (text ring)', newLen], ['log_buf prb_desc array', descs * descBytes], ['log_buf printk_info array', descs * infoBytes]] as const) {
    mb = memblockAlloc(mb, { size, align, why, source: src, stage: STAGE, caller }).mb;
  }
  return { state: withSlice(withMemblock(state, mb), 'logBuf', { len: newLen, replaced: true }), lines: [sizeLine(ctx, newLen)] };
}

/**
 * The line that reports log_buf_len: pr_info("log_buf_len: %u bytes\n") (≤ 6.12), or 7.2's
 * print_log_buf_usage_stats(): descs_count = log_buf_len >> PRB_AVGBITS,
 * pr_info("log buffer data + meta data: %u + %zu = %zu bytes\n") (only 6.12.117 and 7.2.13 were
 * read: placed at 7.0).
 */
function sizeLine(ctx: BootContext, len: bigint): DmesgLine {
  const descs = len >> PRB_AVGBITS;
  const descBytes = structBytes(ctx, 'prb_desc', STAGE);
  const infoBytes = structBytes(ctx, 'printk_info', STAGE);
  const explain = {
    bytes: [term('log_buf_len', `${len}`, 'log_buf_len_update(): roundup_pow_of_two of log_buf_len= or of __LOG_BUF_LEN + cpu_extra; else __LOG_BUF_LEN = 1 << CONFIG_LOG_BUF_SHIFT')],
    meta: [term('descs × (sizeof(prb_desc) + sizeof(printk_info))', `${descs} × (${descBytes} + ${infoBytes})`, 'log_buf_len >> PRB_AVGBITS; kernel facts structs')],
  };
  if (!ctx.traits.logBufUsageStats) return line('printk.log_buf_len', `printk: log_buf_len: ${len} bytes`, { bytes: explain.bytes });
  const meta = descs * (descBytes + infoBytes);
  return line('printk.log_buf_meta', `printk: log buffer data + meta data: ${len} + ${meta} = ${len + meta} bytes`, { data: explain.bytes, meta: explain.meta, total: [...explain.bytes, ...explain.meta] });
}

/** The static buffer's length: __LOG_BUF_LEN = 1 << CONFIG_LOG_BUF_SHIFT. */
function staticLen(ctx: BootContext): bigint {
  return 1n << BigInt(configNumber(ctx, 'LOG_BUF_SHIFT'));
}

/** setup_arch() → setup_log_buf(1): a log_buf_len= that asks for more than the static buffer. */
export const setupLogBufEarly: StageFn = (state, ctx): StageResult => {
  const newLen = logBufLenSetup(bootCommandLine(ctx.spec), staticLen(ctx));
  if (newLen === 0n) return { state: withSlice(state, 'logBuf', { len: staticLen(ctx), replaced: false }), lines: [] };
  return replaceLogBuf(state, ctx, newLen, 'setup_log_buf(1) from setup_arch()', 'setup_arch > setup_log_buf');
};

/**
 * start_kernel() → setup_log_buf(0): returns when setup_arch's call replaced log_buf; otherwise
 * log_buf_add_cpu(): cpu_extra = (possible CPUs − 1) × __LOG_CPU_MAX_BUF_LEN; above half the static
 * buffer it prints three lines and asks for __LOG_BUF_LEN + cpu_extra, rounded up to a power of two.
 */
export const setupLogBuf: StageFn = (state, ctx): StageResult => {
  const prev = logBufStateOf(state);
  if (prev?.replaced) return { state, lines: [] };
  const len = staticLen(ctx);
  const cpus = topologyOf(state, ctx).possibleCpus;
  // log_buf_add_cpu(): "if (num_possible_cpus() == 1) return;"
  // 7.2: "if (!new_log_buf_len) { /* Show the memory stats only once. */ if (!early) goto out;" — the static buffer's stats
  const kept: StageResult = { state, lines: ctx.traits.logBufUsageStats ? [sizeLine(ctx, len)] : [] };
  if (cpus <= 1) return kept;
  const perCpu = 1n << BigInt(configNumber(ctx, 'LOG_CPU_MAX_BUF_SHIFT'));
  const cpuExtra = BigInt(cpus - 1) * perCpu;
  if (cpuExtra <= len / 2n) return kept;
  const lines = [
    line('printk.log_buf_cpu_max', `printk: log_buf_len individual max cpu contribution: ${perCpu} bytes`),
    line('printk.log_buf_cpu_extra', `printk: log_buf_len total cpu_extra contributions: ${cpuExtra} bytes`, {
      cpuExtra: [term('(num_possible_cpus() − 1) × __LOG_CPU_MAX_BUF_LEN', `${cpus - 1} × ${perCpu}`, 'kernel/printk/printk.c log_buf_add_cpu()')],
    }),
    line('printk.log_buf_min', `printk: log_buf_len min size: ${len} bytes`),
  ];
  const newLen = logBufLenUpdate(0n, len + cpuExtra, len);
  const r = replaceLogBuf(state, ctx, newLen, 'setup_log_buf(0) from start_kernel(), log_buf_add_cpu()', 'start_kernel > setup_log_buf');
  return { state: r.state, lines: [...lines, ...r.lines] };
};
