// Struct sizes the 2.6.11 stages allocate by, laid out by hand from 2.6.11's headers
// (wyangsc/linux-2.6.11_bzImage_vmlinux) for each arch: neither 2.6.11 build has BTF, and the x86_64
// prebuilt has no vmlinux at all. i386: the UP allnoconfig build (a spinlock_t is an empty struct);
// x86_64: the prebuilt's SMP config, whose spinlock_t carries DEBUG_SPINLOCK's magic and PREEMPT's
// break_lock (include/asm-x86_64/spinlock.h).
import type { Boot30Context } from './context-30.ts';
import { configEnabled } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { cacheBytes2611 } from './setup-memory-2611.ts';

const align = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** sizeof(struct hlist_head): one pointer. */
export function hlistHead2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? 8n : 4n;
}

/**
 * sizeof(spinlock_t) on x86_64 SMP (include/asm-x86_64/spinlock.h, 2.6.11): the lock word, DEBUG_SPINLOCK's
 * magic, PREEMPT's break_lock; a UP x86_64 build (include/linux/spinlock.h) is refused.
 */
export function spinlock2611x64(ctx: Boot30Context): bigint {
  if (!configEnabled(ctx.kernel, 'SMP')) throw new SimError('SIM_NOT_MODELLED', 'struct sizes (2.6.11 x86_64)', 'CONFIG_SMP unset: a UP x86_64 spinlock_t (include/linux/spinlock.h) is not laid out');
  return 4n + (configEnabled(ctx.kernel, 'DEBUG_SPINLOCK') ? 4n : 0n) + (configEnabled(ctx.kernel, 'PREEMPT') ? 4n : 0n);
}

/** sizeof(wait_queue_head_t) (include/linux/wait.h, 2.6.11): spinlock_t, then a list_head (two pointers) at pointer alignment. */
export function waitQueueHead2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? align(spinlock2611x64(ctx), 8n) + 16n : 8n;
}

/**
 * sizeof(struct vc_data) (include/linux/console_struct.h, 2.6.11). i386: 312 (sim/stages/old/start-kernel-2611.ts's
 * layout). x86_64: vc_num padded to 4, four ints to 20, three longs at 24, vc_top/vc_bottom at 48, vc_sw 56,
 * vc_screenbuf 64, vc_screenbuf_size 72, six attribute bytes to 82, vc_cursor_type at 84, the two masks to 92,
 * four cursor ints to 108, vc_pos at 112, vc_hi_font_mask 120, vc_font (three ints and a pointer: 24) at 128,
 * vc_video_erase_char 152, vc_state 156, vc_npar and vc_par[NPAR 16] 160–228, vc_tty at 232, the 26 bit-fields
 * and vc_utf in one word at 240, vc_utf_count 244, vc_utf_char 248, vc_tab_stop[8] 252, vc_palette[48] 284,
 * vc_translate at 336, four charset bytes, bell pitch and duration to 356, and four pointers from 360: 392.
 */
export function vcData2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? 392n : 312n;
}

/**
 * sizeof(struct vt_struct) (include/linux/vt_kern.h, 2.6.11): vc_num, vc_mode, struct vt_mode (8 bytes, 2-aligned,
 * at 6), vt_pid at 16, vt_newvt at 20, then paste_wait (a wait_queue_head_t) at pointer alignment.
 */
export function vtStruct2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? 24n + waitQueueHead2611(ctx) : 32n;
}

/**
 * sizeof(struct page) (include/linux/mm.h, 2.6.11, no WANT_PAGE_VIRTUAL). x86_64: page_flags_t is unsigned
 * (ARCH_HAS_ATOMIC_UNSIGNED, include/asm-x86_64/bitops.h), _count, _mapcount, then private, mapping, index at
 * 16–40 and lru to 56. i386: 32.
 */
export function structPage2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? 56n : 32n;
}

/** sizeof(struct resource) (include/linux/ioport.h, 2.6.11): name, start, end, flags, parent, sibling, child. */
export function structResource2611(ctx: Boot30Context): bigint {
  return ctx.traits.arch === 'x86_64' ? 56n : 28n;
}

/**
 * sizeof(pg_data_t) of an x86_64 NUMA build (include/linux/mmzone.h, 2.6.11; NR_CPUS, SMP_CACHE_BYTES = 1 <<
 * CONFIG_X86_L1_CACHE_SHIFT (128 on the prebuilt), ZONE_PADDING aligned to 1 << L1_CACHE_SHIFT_MAX 6,
 * include/asm-x86_64/cache.h). struct zone: free_pages, pages_min/low/high, lowmem_reserve[3] to 56; pageset[NR_CPUS]
 * at the cache line, each per_cpu_pageset two per_cpu_pages (32) and six NUMA counters (48) padded to the cache line; then lock, free_area[MAX_ORDER 11] (24 each) at
 * 8-alignment, _pad1_ (to 64), lru_lock, two list_heads, five counters, three ints, _pad2_ (to 64), nine longs and
 * pointers; the struct padded to 128. pg_data_t: node_zones[3], node_zonelists[GFP_ZONETYPES 3] of
 * MAX_NUMNODES × 3 + 1 pointers (NODES_SHIFT 6 under CONFIG_NUMA, include/asm-x86_64/numnodes.h), nr_zones, five longs and pointers, node_id, pgdat_next, kswapd_wait,
 * kswapd, kswapd_max_order; padded to the cache line.
 */
export function pgdatSize2611x64(ctx: Boot30Context, nrCpus: bigint): bigint {
  if (!configEnabled(ctx.kernel, 'NUMA')) throw new SimError('SIM_NOT_MODELLED', 'struct sizes (2.6.11 x86_64)', 'CONFIG_NUMA unset: pg_data_t with NODES_SHIFT 0 and without the NUMA counters is not laid out');
  const cache = cacheBytes2611(ctx);
  const maxAlign = 64n;
  // a struct is aligned to its most aligned member: the cache-line pagesets or the ZONE_PADDING pads
  const structAlign = cache > maxAlign ? cache : maxAlign;
  const lock = spinlock2611x64(ctx);
  let z = 56n;
  z = align(z, cache) + nrCpus * align(2n * 32n + 6n * 8n, cache);
  z += lock;
  z = align(z, 8n) + 11n * 24n;
  z = align(z, maxAlign) + lock;
  z = align(z, 8n) + 2n * 16n + 5n * 8n + 3n * 4n;
  z = align(z, maxAlign) + 9n * 8n;
  const zone = align(z, structAlign);
  let p = 3n * zone + 3n * ((64n * 3n + 1n) * 8n);
  p += 4n;
  p = align(p, 8n) + 5n * 8n + 4n;
  p = align(p, 8n) + 8n + waitQueueHead2611(ctx) + 8n + 4n;
  return align(p, structAlign);
}
