// models the initrd of a 3.0.1 X86_32 boot: arch/x86/kernel/head32.c i386_start_kernel() reserves
// the image QEMU's loader left as "RAMDISK" (right after "TEXT DATA BSS"), and arch/x86/kernel/setup.c
// reserve_initrd(), after init_memory_mapping(), prints "RAMDISK: %08llx - %08llx" and, when the image
// ends above the direct map (end_of_lowmem = max_low_pfn_mapped << PAGE_SHIFT), relocate_initrd()
// takes a copy below it ("NEW RAMDISK", memblock_find_in_range top-down), prints where, and the old
// place is freed. Every later top-down allocation lands below the copy, and mem_init()'s reserved
// counts it: both follow from the memblock ledger. QEMU's placement is the modern pipeline's
// (sim/firmware/linux-loader.ts linuxInitrdPlacement), over the setup header of the facts.
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import type { FirmwareTable } from '../../firmware/e820-table.ts';
import type { InitrdState } from '../initrd.ts';
import { linuxInitrdPlacement, INITRD_ADDR_MAX, protocolWord } from '../../firmware/linux-loader.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled } from '../../traits.ts';
import { legacy30Of, need } from './state-30.ts';
import { findInRange30, free30, reserve30, type Memblock30 } from './memblock-30.ts';

const STAGE = 'initrd';
const WHERE = 'initrd (3.0.1)';

const pageAlign = (v: bigint): bigint => (v + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n);
const hex = (v: bigint, w: number): string => v.toString(16).padStart(w, '0');
const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: STAGE, fmt, text, ...(explain ? { explain } : {}) });

/**
 * Where QEMU 7.2 puts the profile's initrd for this build: the protocol from the bzImage facts, no
 * XLF_CAN_BE_LOADED_ABOVE_4G (X86_32), initrd_addr_max 0x7fffffff (arch/x86/boot/header.S, 3.0.1).
 * Undefined without -initrd. A build without CONFIG_BLK_DEV_INITRD given one is refused: its
 * i386_start_kernel() would not reserve it and the early allocations could land on it.
 */
export function initrdPlacement30(ctx: Boot30Context, fw: FirmwareTable): InitrdState | undefined {
  const img = ctx.initrd;
  if (img === undefined) {
    if (ctx.spec.probe === 'state') throw new SimError('SIM_NOT_MODELLED', WHERE, 'probe: state boots with the probe initramfs: expected its size in the boot context (Boot30Context.initrd), got none');
    return undefined;
  }
  if (!configEnabled(ctx.kernel, 'BLK_DEV_INITRD')) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_BLK_DEV_INITRD is not set: a build that ignores the initrd QEMU loads is not modelled');
  if (ctx.kernel.protocol === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `${ctx.kernel.id}: facts.bzImage.protocol: expected the setup header's boot protocol (QEMU places the initrd by it), found none`);
  const header = { protocol: protocolWord(ctx.kernel.protocol), canLoadAbove4G: false, initrdAddrMax: INITRD_ADDR_MAX };
  const p = linuxInitrdPlacement(fw, header, BigInt(img.bytes));
  return { image: p.image, size: p.size, terms: [{ name: 'image size', value: img.bytes, source: img.from }, ...p.terms] };
}

/**
 * i386_start_kernel() (arch/x86/kernel/head32.c, 3.0.1): with type_of_loader and ramdisk_image set
 * (QEMU sets both), memblock_x86_reserve_range(ramdisk_image, PAGE_ALIGN(ramdisk_image +
 * ramdisk_size), "RAMDISK").
 */
export function reserveRamdisk30(mb: Memblock30, rd: InitrdState | undefined): Memblock30 {
  if (rd === undefined) return mb;
  return reserve30(mb, rd.image, pageAlign(rd.image + rd.size), 'RAMDISK', 'i386_start_kernel RAMDISK');
}

/**
 * reserve_initrd() (arch/x86/kernel/setup.c, 3.0.1), after init_memory_mapping(): "RAMDISK: %08llx -
 * %08llx" from ramdisk_image to ramdisk_end (PAGE_ALIGNed, not less one); an image that ends within
 * the direct map stays where i386_start_kernel() reserved it; else relocate_initrd():
 * memblock_find_in_range(0, end_of_lowmem, PAGE_ALIGN(size), PAGE_SIZE) reserved as "NEW RAMDISK",
 * "Allocated new RAMDISK: %08llx - %08llx" (the copy's start and start + size, unaligned), "Move
 * RAMDISK from %016llx - %016llx to %08llx - %08llx" (both ends less one), then
 * memblock_x86_free_range(ramdisk_image, ramdisk_end). An image of half the direct map or more is
 * dropped with "initrd too large to handle, disabling initrd": refused (no probe image comes near).
 */
export const reserveInitrd30: Stage30Fn = (state, _ctx): Stage30Result => {
  const l = legacy30Of(state, 'reserveInitrd30');
  const rd = l.initrd30;
  if (rd === undefined) return { state, lines: [] };
  const mb = need(l.memblock30, 'reserveInitrd30', 'memblock30');
  const endOfLowmem = need(l.maxLowPfn, 'reserveInitrd30', 'maxLowPfn') << PAGE_SHIFT;
  if (rd.size >= endOfLowmem >> 1n) throw new SimError('SIM_NOT_MODELLED', WHERE, `initrd: ${rd.size} bytes is half the direct map (0x${endOfLowmem.toString(16)}) or more: "initrd too large to handle, disabling initrd" is not modelled`);
  const end = pageAlign(rd.image + rd.size);
  const lines: DmesgLine[] = [line('initrd.ramdisk_30', `RAMDISK: ${hex(rd.image, 8)} - ${hex(end, 8)}`, {
    start: rd.terms,
    end: [{ name: 'PAGE_ALIGN(ramdisk_image + ramdisk_size)', value: `0x${end.toString(16)}`, source: 'arch/x86/kernel/setup.c: reserve_initrd() (3.0.1)' }],
  })];
  if (end <= endOfLowmem) return { state, lines };
  const area = pageAlign(rd.size);
  const here = findInRange30(mb, 0n, endOfLowmem, area, PAGE_SIZE);
  if (here === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `relocate_initrd: no ${area} bytes free below end_of_lowmem 0x${endOfLowmem.toString(16)} (the kernel panics "Cannot find place for new RAMDISK")`);
  const moved = free30(reserve30(mb, here, here + area, 'NEW RAMDISK', 'relocate_initrd NEW RAMDISK'), rd.image, end);
  lines.push(
    line('initrd.allocated_30', `Allocated new RAMDISK: ${hex(here, 8)} - ${hex(here + rd.size, 8)}`, {
      start: [{ name: `memblock_find_in_range(0, end_of_lowmem 0x${endOfLowmem.toString(16)}, PAGE_ALIGN(size) 0x${area.toString(16)}, PAGE_SIZE), top-down`, value: `0x${here.toString(16)}`, source: 'arch/x86/kernel/setup.c: relocate_initrd() (3.0.1)' }],
    }),
    line('initrd.move_30', `Move RAMDISK from ${hex(rd.image, 16)} - ${hex(rd.image + rd.size - 1n, 16)} to ${hex(here, 8)} - ${hex(here + rd.size - 1n, 8)}`),
  );
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: moved, initrd30: { ...rd, relocated: here } }), lines };
};
