// Stage tests for sim/stages/setup-arch-allocs.ts, setup_arch()'s small memblock allocations after
// paging_init(), each a memblock_alloc(size, SMP_CACHE_BYTES): acpi_parse_hpet (sizeof(struct resource)
// + HPET_RESOURCE_NAME_SIZE 9), ioapic_setup_resources ((IOAPIC_RESOURCE_NAME_SIZE 11 + sizeof(struct
// resource)) × nr_ioapics), e820__reserve_resources (sizeof(struct resource) × e820_table->nr_entries),
// firmware_map_add_early (one struct firmware_map_entry per e820_table_firmware entry) and
// register_nosave_region (one struct nosave_region per range that does not extend the last). The
// sizes expected are the ones the real 6.1 kernel printed for the same boot with memblock=debug
// (goldens/x86_64-6.1-pc-512m/serial-memblock.log lines 119-143: 73, 75, 512, 7 × 104, 2 × 32).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { setupArchAllocs } from '../../../sim/stages/setup-arch-allocs.ts';
import { memblockStateOf, SMP_CACHE_BYTES, type LedgerEntry } from '../../../sim/stages/memblock.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const MiB = 2 ** 20;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 512 * MiB, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });

/** The ledger entries setupArchAllocs adds, with their size and start as first reserved. */
function added(ctx: BootContext): { caller: string | undefined; size: bigint; start: bigint }[] {
  const before = simulate(ctx, stagesBefore(setupArchAllocs)).state;
  const n = memblockStateOf(before).ledger.length;
  const after = setupArchAllocs(before, ctx).state;
  return memblockStateOf(after).ledger.slice(n).map((e: LedgerEntry) => {
    const r = (e.made ?? e.ranges)[0]!;
    return { caller: e.caller, size: r.end - r.start, start: r.start };
  });
}

describe('setupArchAllocs (6.1-amd64, pc, 512M, 2 CPUs)', () => {
  // expect the kernel's calls in its order with the sizes memblock=debug printed for this boot
  test('setup_arch_allocs_sizes_and_order: expect 73, 75, 512, seven of 104 and two of 32 bytes', () => {
    const a = added(ctxOf('6.1-amd64'));
    expect(a.map((x) => [x.caller, x.size])).toEqual([
      ['acpi_parse_hpet', 73n],
      ['io_apic_init_mappings > ioapic_setup_resources', 75n],
      ['e820__reserve_resources', 512n],
      ...Array.from({ length: 7 }, () => ['e820__reserve_resources > firmware_map_add_early', 104n]),
      ...Array.from({ length: 2 }, () => ['e820__register_nosave_regions > register_nosave_region', 32n]),
    ]);
  });

  // expect each at an SMP_CACHE_BYTES boundary, top-down: each one below the one before (they share pages)
  test('setup_arch_allocs_top_down_cache_aligned: expect 64-byte aligned, each below the previous', () => {
    const a = added(ctxOf('6.1-amd64'));
    for (const x of a) expect(x.start % SMP_CACHE_BYTES).toBe(0n);
    for (let i = 1; i < a.length; i++) expect(a[i]!.start + a[i]!.size).toBeLessThanOrEqual(a[i - 1]!.start);
    // … and close together: sub-page allocations from the same free range, no gap of a page
    expect(a[0]!.start - a[a.length - 1]!.start).toBeLessThan(4096n);
  });

  // expect acpi=off to drop the HPET resource only: acpi_boot_init() returns before acpi_table_parse(ACPI_SIG_HPET)
  test('setup_arch_allocs_acpi_off_no_hpet: expect the same list without acpi_parse_hpet', () => {
    const on = added(ctxOf('6.1-amd64')).map((x) => x.caller);
    const off = added(ctxOf('6.1-amd64', { cmdline: 'acpi=off' })).map((x) => x.caller);
    expect(off).toEqual(on.filter((c) => c !== 'acpi_parse_hpet'));
  });
});
