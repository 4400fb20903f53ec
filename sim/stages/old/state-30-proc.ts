// The post-boot state of a 3.0.1 UP X86_32 boot, as its /proc files print it, from the 3.0 pipeline's
// finished state: per populated zone spanned, present (zone->present_pages: realsize), start_pfn, the
// watermarks of mm/page_alloc.c setup_per_zone_wmarks() with init_per_zone_wmark_min()'s
// min_free_kbytes, lowmem_reserve (setup_per_zone_lowmem_reserve), the pageset's batch and high
// (zone_batchsize, setup_pageset) and inactive_ratio (calculate_zone_inactive_ratio); meminfo MemTotal,
// HighTotal, LowTotal, CommitLimit, VmallocTotal, the swap totals, DirectMap4k/4M (pageattr-30.ts),
// VmallocUsed/VmallocChunk (get_vmalloc_info over an empty vmlist) and the counters the probe leaves
// at 0 (meminfoZeros30; vmstat-30.ts), the zone and vmstat counters vmstat-30.ts fixes at 0; the pageblock geometry and block
// count per zone (mm/vmstat.c pagetypeinfo_showblockcount_print); kmem_cache_init()'s slab caches
// (slab-30.ts). Everything else is classed by
// harness/catalog/state-families.ts. Field keys are harness/compare/state.ts's.
import type { BootState } from '../../state.ts';
import type { StateField } from '../state/index.ts';
import type { Boot30Context } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import { intSqrt } from '../state/watermarks.ts';
import { DIRECT_MAP_SUM } from '../state/meminfo.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';
import { legacy30Of, need, type Legacy30State, type Zone30 } from './state-30.ts';
import { directPagesCount30, type FreedRange30 } from './pageattr-30.ts';
import { zoneBatchsize30 } from './page-alloc-30.ts';
import { memInitPages30 } from './nobootmem-30.ts';
import { vmallocRange30 } from './start-kernel-30.ts';
import { insertResource, iomemFields, requestResource, res, type Resource } from '../state/iomem.ts';
import { seabiosOptionRoms } from '../../firmware/qemu-7.2-pci.ts';
import { E820_ACPI, E820_NVS, E820_RAM, E820_RESERVED, E820_UNUSABLE, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { configEnabled } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { predictSlabs30 } from './slab-30.ts';
import { eventZeros30, zoneZeros30, type ZeroCounter30 } from './vmstat-30.ts';

const READER = 'state (3.0.1)';
const PA = 'mm/page_alloc.c';
const V = '(3.0.1)';

/** The zones of node 0 in zone order (include/linux/mmzone.h, X86_32 HIGHMEM: MAX_NR_ZONES 4). */
const ZONE_ORDER: readonly Zone30['name'][] = ['DMA', 'Normal', 'HighMem', 'Movable'];
/** sysctl_lowmem_reserve_ratio[MAX_NR_ZONES-1] (mm/page_alloc.c, 3.0.1): 256 for DMA, 32 for Normal and HighMem. */
const LOWMEM_RESERVE_RATIO: Readonly<Record<string, bigint>> = { DMA: 256n, Normal: 32n, HighMem: 32n };
/** SWAP_CLUSTER_MAX (include/linux/swap.h, 3.0.1). */
const SWAP_CLUSTER_MAX = 32n;
/** pageblock_order without CONFIG_HUGETLB_PAGE: MAX_ORDER − 1 (include/linux/pageblock-flags.h, 3.0.1). */
const PAGEBLOCK_ORDER = 10n;
/** sysctl_overcommit_ratio (mm/mmap.c, 3.0.1). */
const OVERCOMMIT_RATIO = 50n;

const term = (name: string, value: string | bigint, source: string) => ({ name, value: typeof value === 'bigint' ? value.toString() : value, source });

/** e820_type_to_string() (arch/x86/kernel/e820.c, 3.0.1). */
function e820TypeName30(type: number): string {
  return type === E820_RAM ? 'System RAM' : type === E820_ACPI ? 'ACPI Tables' : type === E820_NVS ? 'ACPI Non-volatile Storage' : type === E820_UNUSABLE ? 'Unusable memory' : 'reserved';
}

/**
 * The /proc/iomem tree of a 3.0.1 X86_32 boot without PCI (setup_arch, arch/x86/kernel/setup.c 3.0.1):
 * probe_roms() requests the ROMs SeaBIOS left (video, adapters) and the system ROM; "Kernel code"
 * [_text, _etext − 1], "Kernel data" [_etext, _edata − 1] and "Kernel bss" [__bss_start, __bss_stop − 1]
 * are inserted; e820_reserve_resources() inserts each entry of the trimmed map that is not reserved or
 * starts below 1M (the others wait for e820_reserve_resources_late() in pcibios_resource_survey(), which
 * a build without CONFIG_PCI never runs; refused with PCI); i386_reserve_resources() requests "Video RAM area".
 */
export function iomemTree30(e820: readonly E820Entry[], ctx: Boot30Context): Resource {
  if (configEnabled(ctx.kernel, 'PCI')) throw new SimError('SIM_NOT_MODELLED', READER, 'CONFIG_PCI: the 3.0.1 PCI resources and e820_reserve_resources_late() are not modelled');
  const root = res(0n, 0xffffffffn, 'PCI mem', false, 'kernel/resource.c iomem_resource (32-bit resource_size_t)');
  const src = 'arch/x86/kernel/setup.c setup_arch() (3.0.1)';
  for (const [i, rom] of seabiosOptionRoms(ctx.spec.machine).entries()) {
    requestResource(root, res(rom.start, rom.start + rom.size - 1n, i === 0 ? 'Video ROM' : 'Adapter ROM', true, `arch/x86/kernel/probe_roms_32.c probe_roms() (3.0.1), ${rom.file}`));
  }
  requestResource(root, res(0xf0000n, 0xfffffn, 'System ROM', true, 'arch/x86/kernel/probe_roms_32.c probe_roms(): system_rom_resource (3.0.1)'));
  const sym = (n: string): bigint => symbol30(ctx, n, READER);
  insertResource(root, res(sym('_text'), sym('_etext') - 1n, 'Kernel code', true, `${src}: code_resource`));
  insertResource(root, res(sym('_etext'), sym('_edata') - 1n, 'Kernel data', true, `${src}: data_resource`));
  insertResource(root, res(sym('__bss_start'), sym('__bss_stop') - 1n, 'Kernel bss', true, `${src}: bss_resource`));
  for (const x of e820) {
    if (x.addr + x.size - 1n > 0xffffffffn) continue;
    if (x.type === E820_RESERVED && x.addr >= 1n << 20n) continue;
    insertResource(root, res(x.addr, x.addr + x.size - 1n, e820TypeName30(x.type), true, `arch/x86/kernel/e820.c e820_reserve_resources(): e820 entry type ${x.type} (3.0.1)`));
  }
  requestResource(root, res(0xa0000n, 0xbffffn, 'Video RAM area', true, `${src}: i386_reserve_resources() video_ram_resource`));
  return root;
}

/**
 * The ranges free_init_pages() (arch/x86/mm/init.c, 3.0.1) frees after boot, in order:
 * alternative_instructions()'s "SMP alternatives" [__smp_locks, __smp_locks_end) (smp_alt_once is 1
 * without HOTPLUG_CPU), free_initrd_mem()'s [initrd_start, PAGE_ALIGN(initrd_end)) from
 * populate_rootfs(), free_initmem()'s [__init_begin, __init_end) from init_post(). A non-empty
 * .smp_locks is refused: its "Freeing SMP alternatives" pages are not in MemTotal here.
 */
export function freedRanges30(l: Legacy30State, ctx: Boot30Context): FreedRange30[] {
  const sym = (n: string): bigint => symbol30(ctx, n, READER);
  if (sym('__smp_locks_end') > sym('__smp_locks')) throw new SimError('SIM_NOT_MODELLED', READER, `.smp_locks [0x${sym('__smp_locks').toString(16)}, 0x${sym('__smp_locks_end').toString(16)}): alternative_instructions()' free_init_pages("SMP alternatives") is not modelled for 3.0.1`);
  const out: FreedRange30[] = [];
  const rd = l.initrd30;
  if (rd) {
    const start = rd.relocated ?? rd.image;
    out.push({ what: 'initrd memory', start, end: (start + rd.size + 4095n) & ~4095n, source: 'init/initramfs.c populate_rootfs() → free_initrd(); arch/x86/mm/init.c free_initrd_mem() (3.0.1)' });
  }
  out.push({ what: 'unused kernel memory', start: sym('__init_begin'), end: sym('__init_end'), source: 'init/main.c init_post() → arch/x86/mm/init.c free_initmem() (3.0.1)' });
  return out;
}

/**
 * Why get_vmalloc_info() finds vmlist empty at the read (fs/proc/mmu.c, 3.0.1): the callers of
 * vmalloc(), ioremap() and vmap() in the 3.0.1-i386-elf image (read from its vmlinux's calls) either
 * do not run in this boot or vfree() before the read.
 */
const VMLIST_EMPTY_30 = 'no vm_struct is on vmlist at the read: alloc_fdmem() (over a page of fds), alloc_ldt() (modify_ldt), dmi_walk(), serial8250 UPIO_MEM ports, pcpu_mem_alloc() over a page, zone_wait_table_init() after boot and firmware_loading_store() never run here (the probe\'s /init opens one file at a time and calls no modify_ldt; HPET and PCI maps need ACPI or PCI, refused); the bunzip2/unlzma/xz buffers of a compressed initramfs are vfree()d (the image is an uncompressed cpio)';

/**
 * The meminfo lines the probe boot leaves at 0 by construction (fs/proc/meminfo.c meminfo_proc_show(),
 * 3.0.1): SwapCached, and the zone counters of vmstat-30.ts zoneZeros30 that meminfo prints. Bounce and
 * Buffers are left out: NR_BOUNCE needs a bio on a request queue and nr_blockdev_pages() a block
 * device's page cache, and whether the build has a block driver that registers a disk is not in the facts.
 */
function meminfoZeros30(ctx: Boot30Context): { readonly name: string; readonly why: string; readonly source: string }[] {
  const swapCached = configEnabled(ctx.kernel, 'SWAP')
    ? { name: 'SwapCached', why: 'swapper_space.nrpages: add_to_swap_cache() takes a page only with a swap entry from a swap area, and the probe never calls swapon', source: 'include/linux/swap.h total_swapcache_pages; mm/swap_state.c add_to_swap_cache() (3.0.1)' }
    : { name: 'SwapCached', why: 'total_swapcache_pages is the constant 0UL without CONFIG_SWAP', source: 'include/linux/swap.h (3.0.1, !CONFIG_SWAP)' };
  return [swapCached, ...zoneZeros30(ctx).flatMap((c) => (c.meminfo === undefined ? [] : [{ name: c.meminfo, why: c.why, source: c.source }]))];
}

/** The predicted state fields of a finished 3.0 pipeline boot. */
export function predictState30(state: BootState, ctx: Boot30Context): StateField[] {
  const l = legacy30Of(state, READER);
  const zones = need(l.zones, READER, 'zones');
  const byName = new Map(zones.map((z) => [z.name, z]));
  const present = (n: string): bigint => byName.get(n as Zone30['name'])?.realsize ?? 0n;
  const out: StateField[] = [];
  const zf = (z: Zone30, name: string, value: string | bigint, explain: StateField['explain']): void => {
    out.push({ family: 'zoneinfo', key: `Node 0, zone ${z.name}: ${name}`, value: String(value), explain });
  };

  // init_per_zone_wmark_min(): lowmem_kbytes = nr_free_buffer_pages() × 4 — the zones up to
  // ZONE_NORMAL, present_pages less a high watermark still 0 — min_free_kbytes = int_sqrt(× 16), clamped
  const lowmemPages = present('DMA') + present('Normal');
  let minFreeKbytes = intSqrt(lowmemPages * 4n * 16n);
  if (minFreeKbytes < 128n) minFreeKbytes = 128n;
  if (minFreeKbytes > 65536n) minFreeKbytes = 65536n;
  const pagesMin = minFreeKbytes >> (PAGE_SHIFT - 10n);
  const wmSrc = `${PA} setup_per_zone_wmarks() ${V}`;

  const populated = ZONE_ORDER.map((n) => byName.get(n)).filter((z): z is Zone30 => z !== undefined && z.realsize > 0n);
  for (const z of populated) {
    const isHigh = z.name === 'HighMem';
    const tmp = (pagesMin * z.realsize) / lowmemPages;
    let min = tmp;
    if (isHigh) {
      min = z.realsize / 1024n;
      if (min < SWAP_CLUSTER_MAX) min = SWAP_CLUSTER_MAX;
      if (min > 128n) min = 128n;
    }
    const base = [term('min_free_kbytes = int_sqrt(lowmem_kbytes × 16), clamped to [128, 65536]', minFreeKbytes, `${PA} init_per_zone_wmark_min() ${V}`), term('tmp = pages_min × present / lowmem_pages', `${pagesMin} × ${z.realsize} / ${lowmemPages} = ${tmp}`, wmSrc)];
    zf(z, 'min', min, isHigh ? [...base, term('HighMem: present / 1024 clamped to [SWAP_CLUSTER_MAX, 128]', min, wmSrc)] : base);
    zf(z, 'low', min + (tmp >> 2n), [...base, term('min + tmp / 4', min + (tmp >> 2n), wmSrc)]);
    zf(z, 'high', min + (tmp >> 1n), [...base, term('min + tmp / 2', min + (tmp >> 1n), wmSrc)]);
    zf(z, 'spanned', z.spanned, [term('zone_spanned_pages_in_node()', z.spanned, `${PA} free_area_init_core() ${V}`)]);
    zf(z, 'present', z.realsize, [term('realsize: spanned − holes − memmap (− dma_reserve)', z.realsize, `${PA} free_area_init_core() zone->present_pages ${V}`)]);
    // setup_per_zone_lowmem_reserve(): for each higher zone j, lower zone idx gets (present of idx+1..j) / ratio[idx]
    const i = ZONE_ORDER.indexOf(z.name);
    const prot = ZONE_ORDER.map((_, j) => {
      if (j <= i) return 0n;
      let sum = 0n;
      for (let k = i + 1; k <= j; k++) sum += present(ZONE_ORDER[k]!);
      return sum / (LOWMEM_RESERVE_RATIO[z.name] ?? 1n);
    });
    zf(z, 'protection', `(${prot.join(', ')})`, [term('lowmem_reserve[j] = present pages of the zones above up to j / sysctl_lowmem_reserve_ratio', `ratio ${LOWMEM_RESERVE_RATIO[z.name] ?? 1n}`, `${PA} setup_per_zone_lowmem_reserve() ${V}`)]);
    // zone_pcp_init() → setup_pageset(zone_batchsize()): high 6 × batch, batch max(1, batch) (UP: one pageset)
    const b = zoneBatchsize30(z.realsize);
    zf(z, 'cpu 0 high', 6n * b, [term('6 × zone_batchsize()', `6 × ${b}`, `${PA} setup_pageset() ${V}`)]);
    zf(z, 'cpu 0 batch', b < 1n ? 1n : b, [term('max(1, zone_batchsize())', b, `${PA} setup_pageset() ${V}`)]);
    zf(z, 'start_pfn', z.startPfn, [term('zone_start_pfn', z.startPfn, `${PA} free_area_init_core() ${V}`)]);
    // calculate_zone_inactive_ratio(): int_sqrt(10 × gb) for a zone of at least 1G, else 1
    const gb = z.realsize >> (30n - PAGE_SHIFT);
    zf(z, 'inactive_ratio', gb > 0n ? intSqrt(10n * gb) : 1n, [term('gb = present >> (30 − PAGE_SHIFT); int_sqrt(10 × gb), or 1', gb, `${PA} calculate_zone_inactive_ratio() ${V}`)]);
  }

  // totalram_pages: mem_init()'s, then free_initrd_mem() and free_initmem() (arch/x86/mm/init.c free_init_pages)
  const m = memInitPages30(state, ctx, READER);
  const initrdPages = l.initrd30 ? (l.initrd30.size + 4095n) >> PAGE_SHIFT : 0n;
  const initPages = (symbol30(ctx, '__init_end', READER) - symbol30(ctx, '__init_begin', READER)) >> PAGE_SHIFT;
  const totalram = m.lowFree + m.high + initrdPages + initPages;
  const kb = (p: bigint): string => `${p << (PAGE_SHIFT - 10n)} kB`;
  const mi = (key: string, value: string, explain: StateField['explain']): void => { out.push({ family: 'meminfo', key, value, explain }); };
  const totalExplain = [
    term('mem_init(): free low pages + HighMem pages', `${m.lowFree} + ${m.high}`, 'arch/x86/mm/init_32.c mem_init() (3.0.1)'),
    term('+ free_initrd_mem(): PAGE_ALIGN(initrd size)', initrdPages, 'init/initramfs.c free_initrd(), arch/x86/mm/init.c free_initrd_mem() (3.0.1)'),
    term('+ free_initmem(): __init_end − __init_begin', initPages, 'arch/x86/mm/init.c free_initmem() (3.0.1)'),
  ];
  mi('MemTotal', kb(totalram), totalExplain);
  if (ctx.traits.highmem) {
    mi('HighTotal', kb(m.high), [term('totalhigh_pages', m.high, 'arch/x86/mm/highmem_32.c set_highmem_pages_init() (3.0.1)')]);
    mi('LowTotal', kb(totalram - m.high), [...totalExplain, term('− totalhigh_pages', m.high, 'fs/proc/meminfo.c meminfo_proc_show() (3.0.1)')]);
  }
  mi('SwapTotal', '0 kB', [term('total_swap_pages: no swapon ran', 0n, 'mm/swapfile.c (3.0.1)')]);
  mi('SwapFree', '0 kB', [term('nr_swap_pages: no swapon ran', 0n, 'mm/swapfile.c (3.0.1)')]);
  mi('CommitLimit', kb((totalram * OVERCOMMIT_RATIO) / 100n), [...totalExplain, term('totalram_pages × sysctl_overcommit_ratio 50 / 100 + total_swap_pages 0', (totalram * OVERCOMMIT_RATIO) / 100n, 'fs/proc/meminfo.c meminfo_proc_show() (3.0.1)')]);
  // kernel_physical_mapping_init() counts every page init_memory_mapping(0, max_low_pfn << PAGE_SHIFT) maps
  // (update_page_count): the DirectMap lines sum to the direct map, whatever page sizes a split leaves
  const lowEnd = need(l.maxLowPfn, READER, 'maxLowPfn');
  mi(DIRECT_MAP_SUM, kb(lowEnd), [term('max_low_pfn pages, mapped by init_memory_mapping()', lowEnd, 'arch/x86/mm/init_32.c kernel_physical_mapping_init(), arch/x86/mm/init.c (3.0.1)')]);
  const dp = directPagesCount30(ctx, lowEnd, freedRanges30(l, ctx));
  mi('DirectMap4k', `${dp.k4 << 2n} kB`, [...dp.explain, term('direct_pages_count[PG_LEVEL_4K] << 2', dp.k4 << 2n, 'arch/x86/mm/pageattr.c arch_report_meminfo() (3.0.1)')]);
  mi('DirectMap4M', `${dp.m4 << 12n} kB`, [...dp.explain, term('direct_pages_count[PG_LEVEL_2M] << 12 (2-level paging)', dp.m4 << 12n, 'arch/x86/mm/pageattr.c arch_report_meminfo() (3.0.1)')]);
  const vm = vmallocRange30(ctx, need(l.highstartPfn, READER, 'highstartPfn'));
  const vmTotal = (vm.end - vm.start) >> 10n;
  mi('VmallocTotal', `${vmTotal} kB`, [term('VMALLOC_TOTAL = VMALLOC_END − VMALLOC_START', `0x${vm.end.toString(16)} − 0x${vm.start.toString(16)}`, 'fs/proc/meminfo.c meminfo_proc_show() (3.0.1)')]);
  for (const z of meminfoZeros30(ctx)) mi(z.name, '0 kB', [term(z.why, 0n, z.source)]);
  // fs/proc/mmu.c get_vmalloc_info() (3.0.1): an empty vmlist gives used 0 and largest_chunk VMALLOC_TOTAL
  const vmlist = term(VMLIST_EMPTY_30, 'vmlist empty', 'fs/proc/mmu.c get_vmalloc_info(); mm/vmalloc.c __remove_vm_area() (3.0.1)');
  mi('VmallocUsed', '0 kB', [vmlist, term('Σ vm->size over vmlist', 0n, 'fs/proc/mmu.c get_vmalloc_info() (3.0.1)')]);
  mi('VmallocChunk', `${vmTotal} kB`, [vmlist, term('!vmlist: largest_chunk = VMALLOC_TOTAL', vmTotal, 'fs/proc/mmu.c get_vmalloc_info() (3.0.1)')]);

  // harness/compare/state.ts keys the image's resources by name, their range the value (as sim/stages/state/index.ts kernelResources)
  for (const f of iomemFields(iomemTree30(l.e820, ctx))) {
    const k = /^([0-9a-f]+-[0-9a-f]+) : (Kernel (?:code|data|bss))$/.exec(f.key);
    out.push(k ? { ...f, key: k[2]!, value: k[1]! } : f);
  }

  // pagetypeinfo_showblockcount_print(): one count per pageblock_nr_pages step from zone_start_pfn
  const perBlock = 1n << PAGEBLOCK_ORDER;
  const ptSrc = 'include/linux/pageblock-flags.h (3.0.1, no HUGETLB_PAGE)';
  out.push({ family: 'pagetypeinfo', key: 'Page block order', value: String(PAGEBLOCK_ORDER), explain: [term('pageblock_order: MAX_ORDER − 1', PAGEBLOCK_ORDER, ptSrc)] });
  out.push({ family: 'pagetypeinfo', key: 'Pages per block', value: String(perBlock), explain: [term('1 << pageblock_order', perBlock, ptSrc)] });
  for (const z of populated) {
    const blocks = (z.spanned + perBlock - 1n) / perBlock;
    out.push({ family: 'pagetypeinfo', key: `Node 0, zone ${z.name}: blocks`, value: String(blocks), explain: [term('pfns zone_start_pfn, + pageblock_nr_pages, … below the zone end: ceil(spanned / pageblock_nr_pages)', blocks, 'mm/vmstat.c pagetypeinfo_showblockcount_print() (3.0.1)')] });
  }
  // zoneinfo_show_print() prints every zone_stat_item per populated zone; vmstat_show() their sums, then the vm events
  const zero = (c: ZeroCounter30, scope: string): StateField['explain'] => [term(`${c.why} (${scope})`, 0n, c.source)];
  const zoneZeros = zoneZeros30(ctx);
  for (const z of populated) for (const c of zoneZeros) out.push({ family: 'zoneinfo', key: `Node 0, zone ${z.name}: zone ${c.name}`, value: '0', explain: zero(c, 'this zone') });
  for (const c of [...zoneZeros, ...eventZeros30(ctx, zones.filter((z) => z.realsize === 0n).map((z) => z.name))]) out.push({ family: 'vmstat', key: c.name, value: '0', explain: zero(c, 'summed over the zones') });
  out.push(...predictSlabs30(ctx));
  return out;
}
