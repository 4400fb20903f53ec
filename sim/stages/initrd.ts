// models the initrd in setup_arch() (arch/x86/kernel/setup.c, 5.10.223, 6.1.192, 6.12.117 (pinned
// 6.12.115), 6.18, 7.2.13: the same three functions in all of them): early_reserve_initrd() reserves
// the image QEMU's loader left (sim/firmware/linux-loader.ts) before parse_early_param(), and
// reserve_initrd(), after setup_log_buf(1), prints "RAMDISK: [mem …]" and, when the image is not in
// the direct map (i386 above max_low_pfn, or RAM that mem=/memmap= took away), relocate_initrd()
// copies it below max_pfn_mapped and the old place is freed. Every top-down allocation after
// early_reserve_initrd() then lands below the image, and the Memory: line's reserved counts it:
// both follow from the memblock state. free_initrd_mem ("Freeing initrd memory") runs from
// populate_rootfs, after the catalog window, and from 5.12 (do_populate_rootfs async) races with the
// rootfs_initcall swiotlb line, so it is not a catalog line; the post-boot state counts it
// (sim/stages/state/ initrdFreed, from this stage's slice).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import type { E820State } from './e820.ts';
import { linuxInitrdPlacement, INITRD_ADDR_MAX, protocolWord } from '../firmware/linux-loader.ts';
import { configEnabled } from '../traits.ts';
import { memblockFree, memblockPhysAllocRange, memblockReserve, memblockStateOf, withMemblock, type MemblockState } from './memblock.ts';
import { slice, sliceIfAny, withSlice } from '../state.ts';
import { ALIGN, PAGE_SIZE, PFN_PHYS } from '../lib/sizes.ts';
import { fmt010Lx } from '../lib/printk.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'initrd';

/** The -initrd image a boot is given, by what QEMU's loader and the kernel look at: its size. */
export interface InitrdImage {
  /** The image's length in bytes (QEMU places it by its size). */
  readonly bytes: number;
  /** Where the size comes from, for explain, e.g. "goldens/initramfs/state-x86_64.yaml bytes". */
  readonly from: string;
}

/** The initrd as the boot holds it: boot_params' ramdisk_image/ramdisk_size, and relocate_initrd's copy. */
export interface InitrdState {
  /** get_ramdisk_image(): where the loader put it. */
  readonly image: bigint;
  /** get_ramdisk_size(). */
  readonly size: bigint;
  /** relocated_ramdisk when relocate_initrd() moved it; the image's new home (initrd_start − PAGE_OFFSET). */
  readonly relocated?: bigint;
  /** How the loader chose the address (linuxInitrdPlacement). */
  readonly terms: readonly ExplainTerm[];
}

export function initrdStateOf(state: BootState): InitrdState | undefined {
  return sliceIfAny(state, 'initrd');
}

/**
 * Where QEMU 7.2 puts the profile's initrd, from the kernel's setup header: the protocol from the
 * bzImage facts; XLF_CAN_BE_LOADED_ABOVE_4G and initrd_addr_max from arch/x86/boot/header.S
 * (CONFIG_RELOCATABLE && CONFIG_X86_64; 0x7fffffff). Undefined without -initrd.
 */
export function initrdPlacement(ctx: BootContext, e820: E820State): InitrdState | undefined {
  const img = ctx.initrd;
  if (img === undefined) {
    // the harness gives the probe initramfs's size (harness/simulate.ts bootInputFor); never boot it without
    if (ctx.spec.probe === 'state') throw new SimError('SIM_NOT_MODELLED', STAGE, 'probe: state boots with the probe initramfs: expected its size in the boot input (BootInput.initrd), got none');
    return undefined;
  }
  const header = {
    protocol: protocolWord(ctx.kernel.facts.bzImage.protocol),
    canLoadAbove4G: ctx.traits.arch === 'x86_64' && configEnabled(ctx.kernel, 'RELOCATABLE'),
    initrdAddrMax: INITRD_ADDR_MAX,
  };
  const p = linuxInitrdPlacement(e820.firmware, header, BigInt(img.bytes));
  return { image: p.image, size: p.size, terms: [{ name: 'image size', value: img.bytes, source: img.from }, ...p.terms] };
}

/** PAGE_ALIGN(ramdisk_image + ramdisk_size), the end both functions reserve and print to. */
const ramdiskEnd = (rd: InitrdState): bigint => ALIGN(rd.image + rd.size, PAGE_SIZE);

/**
 * early_reserve_initrd() (arch/x86/kernel/setup.c): memblock_reserve(ramdisk_image, ramdisk_end −
 * ramdisk_image) (6.18, 7.2: memblock_reserve_kern, whose MEMBLOCK_RSRV_KERN flag the region model
 * does not keep; no line depends on it). From early_reserve_memory() on 6.1+, inline in setup_arch
 * on 5.10; before parse_early_param(), so memblock=debug does not print it.
 */
export function earlyReserveInitrd(mb: MemblockState, rd: InitrdState | undefined, ctx: BootContext, notPrinted: string): MemblockState {
  if (rd === undefined) return mb;
  return memblockReserve(mb, rd.image, ramdiskEnd(rd) - rd.image, {
    why: 'initrd (early_reserve_initrd)', source: 'arch/x86/kernel/setup.c: early_reserve_initrd() (6.1)', stage: STAGE,
    caller: ctx.traits.earlyReserveMemory ? 'setup_arch > early_reserve_memory > early_reserve_initrd' : 'setup_arch > early_reserve_initrd', notPrinted,
  });
}

/**
 * pfn_range_is_mapped(PFN_DOWN(ramdisk_image), PFN_DOWN(ramdisk_end)) (arch/x86/mm/init.c): the
 * direct map covers the memblock memory init_mem_mapping() mapped, which ends at max_pfn_mapped
 * (x86_64: max_pfn; X86_32: max_low_pfn). The image is mapped when one memory region holds it below that.
 */
function pfnRangeIsMapped(mb: MemblockState, start: bigint, end: bigint, maxPfnMapped: bigint): boolean {
  const limit = PFN_PHYS(maxPfnMapped);
  return end <= limit && mb.memory.some((m) => m.start <= start && end <= m.end);
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: STAGE, fmt, text, ...(explain ? { explain } : {}) });

/**
 * relocate_initrd(): memblock_phys_alloc_range(PAGE_ALIGN(size), PAGE_SIZE, 0, PFN_PHYS(max_pfn_mapped))
 * (top-down; no room panics: refused by the allocator), then the two lines, whose ends are the
 * unaligned size.
 */
function relocateInitrd(mb: MemblockState, rd: InitrdState, maxPfnMapped: bigint): { mb: MemblockState; relocated: bigint; lines: DmesgLine[] } {
  const area = ALIGN(rd.size, PAGE_SIZE);
  const r = memblockPhysAllocRange(mb, {
    size: area, align: PAGE_SIZE, start: 0n, end: PFN_PHYS(maxPfnMapped),
    why: 'initrd copy (relocate_initrd)', source: 'arch/x86/kernel/setup.c: relocate_initrd() memblock_phys_alloc_range(area_size, PAGE_SIZE, 0, PFN_PHYS(max_pfn_mapped)) (6.1)',
    stage: STAGE, caller: 'setup_arch > reserve_initrd > relocate_initrd',
  });
  const at = r.addr;
  const endOf = (a: bigint): bigint => a + rd.size - 1n;
  return {
    mb: r.mb, relocated: at,
    lines: [
      line('initrd.allocated', `Allocated new RAMDISK: [mem ${fmt010Lx(at)}-${fmt010Lx(endOf(at))}]`, {
        start: [{ name: `top-down below max_pfn_mapped 0x${maxPfnMapped.toString(16)} (PFN_PHYS 0x${PFN_PHYS(maxPfnMapped).toString(16)})`, value: `0x${at.toString(16)}`, source: 'arch/x86/kernel/setup.c: relocate_initrd() (6.1)' }],
      }),
      line('initrd.move', `Move RAMDISK from [mem ${fmt010Lx(rd.image)}-${fmt010Lx(endOf(rd.image))}] to [mem ${fmt010Lx(at)}-${fmt010Lx(endOf(at))}]`),
    ],
  };
}

/**
 * reserve_initrd() (arch/x86/kernel/setup.c), after setup_log_buf(1) and before acpi_boot_table_init():
 * "RAMDISK: [mem %#010llx-%#010llx]" from ramdisk_image to ramdisk_end − 1; a mapped image stays where
 * it is (early_reserve_initrd's reservation), else relocate_initrd() and memblock_phys_free() of
 * [ramdisk_image, ramdisk_end) (memblock_free() on 5.10).
 */
export const reserveInitrd: StageFn = (state, _ctx): StageResult => {
  const rd = initrdStateOf(state);
  if (rd === undefined) return { state, lines: [] };
  const end = ramdiskEnd(rd);
  const lines: DmesgLine[] = [line('initrd.ramdisk', `RAMDISK: [mem ${fmt010Lx(rd.image)}-${fmt010Lx(end - 1n)}]`, {
    start: rd.terms,
    end: [{ name: 'PAGE_ALIGN(ramdisk_image + ramdisk_size) − 1', value: `0x${(end - 1n).toString(16)}`, source: 'arch/x86/kernel/setup.c: reserve_initrd() (6.1)' }],
  })];
  let mb = memblockStateOf(state);
  const maxPfnMapped = slice(state, 'pageTables', STAGE).maxPfnMapped;
  if (pfnRangeIsMapped(mb, rd.image, end, maxPfnMapped)) return { state, lines };
  const r = relocateInitrd(mb, rd, maxPfnMapped);
  lines.push(...r.lines);
  mb = memblockFree(r.mb, rd.image, end - rd.image);
  return { state: withSlice(withMemblock(state, mb), 'initrd', { ...rd, relocated: r.relocated }), lines };
};

