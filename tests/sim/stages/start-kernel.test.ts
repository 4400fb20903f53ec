// Stage tests for sim/stages/start-kernel.ts: what setup_cpu_entry_areas() maps of the last CPU's
// struct cpu_entry_area (arch/x86/mm/cpu_entry_area.c) and the page-table pages spp_getpage() gives
// set_pte_vaddr() for the whole area on X86_64 (one PUD, one PMD, one PTE page per 2M up to the last
// mapped page). The struct size is the 5.10-amd64 build's, read from its facts (BTF).
import { describe, expect, test } from 'vitest';
import { ceaMappedBytes, cpuEntryAreaTablePages } from '../../../sim/stages/start-kernel.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { PAGE_SIZE } from '../../../sim/lib/sizes.ts';

const SZ_2M = 2n << 20n;
const cea = BigInt(loadKernelWithFacts('5.10-amd64').facts.structs['cpu_entry_area']!.bytes);

describe('ceaMappedBytes', () => {
  // expect an Intel boot CPU to map the whole struct: percpu_setup_debug_store() maps the debug store
  test('ceaMapped_intel_maps_all: expect sizeof(struct cpu_entry_area)', () => {
    expect(ceaMappedBytes(cea, 'Intel')).toBe(cea);
  });

  // expect any other vendor to stop 40 pages early: the debug store (1 page + BTS and PEBS buffers of
  // 16 pages each) and the SEV-ES tail (3 guard pages + VC and VC2 stacks of 2 pages each) stay unmapped
  //   | … exception stacks … | VC tail (7) | debug store (33) |
  //                          ^ last mapped byte on AMD
  test.each(['AMD', 'Hygon', 'Centaur'])('ceaMapped_%s_stops_40_pages_early', (vendor) => {
    expect(cea - ceaMappedBytes(cea, vendor)).toBe(40n * PAGE_SIZE);
  });
});

describe('cpuEntryAreaTablePages', () => {
  // expect one CPU to need the PUD and PMD pages and one PTE page: the RO IDT page and one struct fit in 2M
  test('ceaTables_one_cpu: expect 3 pages', () => {
    expect(cpuEntryAreaTablePages(1, cea, ceaMappedBytes(cea, 'AMD'))).toBe(3n);
    expect(cpuEntryAreaTablePages(1, cea)).toBe(3n);
  });

  // expect the page count to follow the last mapped page: at 200 vCPUs the unmapped 40 pages of the
  // last struct bring the span below 23 × 2M (25 pages on AMD, 26 with everything mapped)
  test('ceaTables_200_cpus_amd_one_fewer: expect 25 on AMD and 26 on Intel', () => {
    expect(cpuEntryAreaTablePages(200, cea, ceaMappedBytes(cea, 'AMD'))).toBe(25n);
    expect(cpuEntryAreaTablePages(200, cea, ceaMappedBytes(cea, 'Intel'))).toBe(26n);
  });

  // expect a span of exactly 2M to need one PTE page and one byte more to need a second
  //   | IDT | last mapped ………………… |2M| +1 byte → second PTE page
  test('ceaTables_round_up_at_2m: expect 3 pages at 2M, 4 past it', () => {
    expect(cpuEntryAreaTablePages(1, SZ_2M, SZ_2M - PAGE_SIZE)).toBe(3n);
    expect(cpuEntryAreaTablePages(1, SZ_2M, SZ_2M - PAGE_SIZE + 1n)).toBe(4n);
  });
});
