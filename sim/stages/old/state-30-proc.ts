// The post-boot state of a 3.0.1 UP X86_32 boot, as its /proc files print it, from the 3.0 pipeline's
// finished state: per populated zone spanned, present (zone->present_pages: realsize), start_pfn, the
// watermarks of mm/page_alloc.c setup_per_zone_wmarks() with init_per_zone_wmark_min()'s
// min_free_kbytes, lowmem_reserve (setup_per_zone_lowmem_reserve), the pageset's batch and high
// (zone_batchsize, setup_pageset) and inactive_ratio (calculate_zone_inactive_ratio); meminfo MemTotal,
// HighTotal, LowTotal, CommitLimit, VmallocTotal and the swap totals; the pageblock geometry and block
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
import { legacy30Of, need, type Zone30 } from './state-30.ts';
import { zoneBatchsize30 } from './page-alloc-30.ts';
import { memInitPages30 } from './nobootmem-30.ts';
import { vmallocRange30 } from './start-kernel-30.ts';
import { insertResource, iomemFields, requestResource, res, type Resource } from '../state/iomem.ts';
import { seabiosOptionRoms } from '../../firmware/qemu-7.2-pci.ts';
import { E820_ACPI, E820_NVS, E820_RAM, E820_RESERVED, E820_UNUSABLE, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { configEnabled } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { predictSlabs30 } from './slab-30.ts';

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
  const vm = vmallocRange30(ctx, need(l.highstartPfn, READER, 'highstartPfn'));
  mi('VmallocTotal', `${(vm.end - vm.start) >> 10n} kB`, [term('VMALLOC_TOTAL = VMALLOC_END − VMALLOC_START', `0x${vm.end.toString(16)} − 0x${vm.start.toString(16)}`, 'fs/proc/meminfo.c meminfo_proc_show() (3.0.1)')]);

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
  out.push(...predictSlabs30(ctx));
  return out;
}
