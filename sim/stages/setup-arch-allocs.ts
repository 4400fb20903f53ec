// models the small memblock allocations setup_arch() makes after paging_init (arch/x86/kernel/setup.c,
// 5.10.223, 6.1.192, 6.12.115, 7.2.13), in call order: acpi_boot_init → acpi_parse_hpet (the HPET
// resource, arch/x86/kernel/acpi/boot.c), io_apic_init_mappings → ioapic_setup_resources
// (arch/x86/kernel/apic/io_apic.c), e820__reserve_resources (one struct resource per e820_table
// entry, then firmware_map_add_early per e820_table_firmware entry, drivers/firmware/memmap.c) and
// e820__register_nosave_regions → register_nosave_region (kernel/power/snapshot.c); between the
// first two, 5.10's init_cpu_to_node() NODE_DATA for memoryless nodes (sim/stages/numa.ts). Each is a
// memblock_alloc(size, SMP_CACHE_BYTES): sub-page, top-down, so they share pages. Both arches: the
// struct sizes come from the kernel facts (BTF on amd64, qemu-scripts/kernel/structs.ts on 686).
// Prints only init_cpu_to_node()'s lines (5.10, memoryless nodes).
import type { StageFn, StageResult } from '../boot.ts';
import { e820StateOf } from './e820.ts';
import { maxPfnOf } from './lowmem32.ts';
import { nosaveRegions } from './setup-arch-late.ts';
import { structBytes } from './mm-inputs.ts';
import { acpiDisabled } from './cmdline.ts';
import { memblockAlloc, memblockStateOf, withMemblock, SMP_CACHE_BYTES, type MemblockState } from './memblock.ts';
import { initCpuToNode } from './numa.ts';
import { sliceIfAny, withSlice } from '../state.ts';

const STAGE = 'setup_arch';
/** arch/x86/kernel/acpi/boot.c HPET_RESOURCE_NAME_SIZE ("HPET %u" with room for the id). */
const HPET_RESOURCE_NAME_SIZE = 9n;
/** arch/x86/kernel/apic/io_apic.c IOAPIC_RESOURCE_NAME_SIZE. */
const IOAPIC_RESOURCE_NAME_SIZE = 11n;
/**
 * QEMU 7.2 pc and q35 both build an ACPI HPET table (hw/i386/pc.c: hpet_enabled defaults to true;
 * hw/i386/acpi-build.c build_hpet) and one I/O APIC in the MADT (hw/i386/acpi-common.c build_madt,
 * no ioapic2 without a second one configured): the counts the kernel sees.
 */
const QEMU_HPET_TABLES = 1;
const QEMU_IOAPICS = 1n;

// setup_arch() between paging_init() and the end of the e820 work
export const setupArchAllocs: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  let mb: MemblockState = memblockStateOf(state);
  const e = e820StateOf(state);
  const alloc = (size: bigint, why: string, source: string, caller: string): void => {
    mb = memblockAlloc(mb, { size, align: SMP_CACHE_BYTES, why, source, stage: STAGE, caller }).mb;
  };
  const resource = structBytes(ctx, 'resource', STAGE);
  // acpi_parse_hpet(): memblock_alloc(sizeof(*hpet_res) + HPET_RESOURCE_NAME_SIZE, SMP_CACHE_BYTES)
  // acpi=off: acpi_boot_init() returns before acpi_table_parse(ACPI_SIG_HPET, acpi_parse_hpet)
  const hpetTables = acpiDisabled(ctx.spec) ? 0 : QEMU_HPET_TABLES;
  for (let i = 0; i < hpetTables; i++) alloc(resource + HPET_RESOURCE_NAME_SIZE, 'HPET resource', 'arch/x86/kernel/acpi/boot.c: acpi_parse_hpet() (6.1)', 'acpi_parse_hpet');
  // init_cpu_to_node() (after get_smp_config and prefill_possible_map): 5.10 onlines each memoryless
  // CPU node here, with its NODE_DATA and free_area_init_node() lines (sim/stages/numa.ts)
  const numa0 = sliceIfAny(state, 'numa');
  const cpuToNode = numa0 ? initCpuToNode(mb, numa0, ctx) : undefined;
  if (cpuToNode) mb = cpuToNode.mb;
  // ioapic_setup_resources(): (IOAPIC_RESOURCE_NAME_SIZE + sizeof(struct resource)) × nr_ioapics
  alloc((IOAPIC_RESOURCE_NAME_SIZE + resource) * QEMU_IOAPICS, 'I/O APIC resources', 'arch/x86/kernel/apic/io_apic.c: ioapic_setup_resources() (6.1)', 'io_apic_init_mappings > ioapic_setup_resources');
  // e820__reserve_resources(): one struct resource per e820_table entry …
  alloc(resource * BigInt(e.table.length), `e820 resources (${e.table.length} entries)`, 'arch/x86/kernel/e820.c: e820__reserve_resources() (6.1)', 'e820__reserve_resources');
  // … then firmware_map_add_early() for each e820_table_firmware entry
  const fme = structBytes(ctx, 'firmware_map_entry', STAGE);
  e.firmwareTable.forEach((_, i) => alloc(fme, `firmware_map_entry ${i}`, 'drivers/firmware/memmap.c: firmware_map_add_early() (6.1)', 'e820__reserve_resources > firmware_map_add_early'));
  // e820__register_nosave_regions(max_pfn): a new nosave_region unless it extends the previous one
  const nr = structBytes(ctx, 'nosave_region', STAGE);
  let lastEnd: bigint | undefined;
  for (const [s, en] of nosaveRegions(e.table, maxPfnOf(state), traits.nosaveStyle, traits.e820Style === 'classic')) {
    if (lastEnd !== s) alloc(nr, `nosave_region [pfn ${s.toString(16)}, ${en.toString(16)})`, 'kernel/power/snapshot.c: register_nosave_region() (6.1)', 'e820__register_nosave_regions > register_nosave_region');
    lastEnd = en;
  }
  const next = withMemblock(state, mb);
  return cpuToNode && cpuToNode.numa !== numa0 ? { state: withSlice(next, 'numa', cpuToNode.numa), lines: cpuToNode.lines } : { state: next, lines: [] };
};
