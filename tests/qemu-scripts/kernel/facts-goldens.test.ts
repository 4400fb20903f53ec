// Checks the committed facts, which come from the package alone, against what the real kernels
// printed in the golden serial logs: the banner, the five image sizes of the Memory: line,
// percpu's static size and the size of .smp_locks; and the real-mode blob against the
// memblock=debug captures. Nothing here feeds the extractor; it only verifies it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { goldensDir } from '../../../sim/base/paths.ts';
import { kernelIds, loadKernel } from '../../../harness/kernels.ts';
import { deriveTraits } from '../../../sim/traits.ts';

interface Seen { banner?: string; memory?: number[]; percpuStatic?: number; smpLocksK?: number }

// mem_init_print_info: "Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, %luK bss, …"
const MEMORY = /Memory: \d+K\/\d+K available \((\d+)K kernel code, (\d+)K rwdata, (\d+)K rodata, (\d+)K init, (\d+)K bss,/;
// pcpu_embed_first_chunk: "percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu"
const PERCPU = /percpu: Embedded \d+ pages\/cpu s(\d+) r\d+ d\d+ u\d+/;
// free_init_pages("SMP alternatives", __smp_locks, __smp_locks_end) → free_reserved_area: "Freeing %s memory: %ldK"
const SMP_LOCKS = /Freeing SMP alternatives memory: (\d+)K/;

function seenIn(log: string): Seen {
  const seen: Seen = {};
  for (const line of log.split('\n')) {
    const b = /(Linux version .*?)\r?$/.exec(line);
    if (b && seen.banner === undefined) seen.banner = b[1]!;
    const m = MEMORY.exec(line);
    if (m && seen.memory === undefined) seen.memory = m.slice(1, 6).map(Number);
    const p = PERCPU.exec(line);
    if (p && seen.percpuStatic === undefined) seen.percpuStatic = Number(p[1]);
    const l = SMP_LOCKS.exec(line);
    if (l && seen.smpLocksK === undefined) seen.smpLocksK = Number(l[1]);
  }
  return seen;
}

const ids = new Set(kernelIds());
const profiles = existsSync(goldensDir)
  ? readdirSync(goldensDir).filter((d) => existsSync(path.join(goldensDir, d, 'profile.yaml')) && existsSync(path.join(goldensDir, d, 'serial.log'))).sort()
  : [];

// Each profile's kernel id, read once for the three walks below.
const kernelIdsOf = new Map<string, string>();
const kernelOf = (profile: string): string => {
  let k = kernelIdsOf.get(profile);
  if (k === undefined) {
    k = String((parse(readFileSync(path.join(goldensDir, profile, 'profile.yaml'), 'utf8')) as { kernel?: unknown })?.kernel);
    kernelIdsOf.set(profile, k);
  }
  return k;
};

describe('kernel facts against the golden logs', () => {
  it.skipIf(profiles.length > 0)('no golden logs yet', () => {});
  for (const profile of profiles) {
    const kernel = kernelOf(profile);
    const facts = ids.has(kernel) ? loadKernel(kernel).facts : undefined;
    it.skipIf(facts === undefined)(`facts_matchLog_${profile}: expect ${kernel}'s banner, Memory: sizes, percpu s= and SMP alternatives size as the kernel printed them`, () => {
      const seen = seenIn(readFileSync(path.join(goldensDir, profile, 'serial.log'), 'latin1'));
      const img = facts!.image;
      expect(seen.banner).toBe(facts!.banner);
      if (seen.memory) expect([img.codeK, img.rwdataK, img.rodataK, img.initK, img.bssK]).toEqual(seen.memory);
      if (seen.percpuStatic !== undefined) expect(facts!.staticPercpuBytes).toBe(seen.percpuStatic);
      if (deriveTraits(loadKernel(kernel)).smpLocks === 'none') {
        // 7.3: no .smp_locks, so no symbols in the facts and no free in the log
        expect([img.symbols.__smp_locks, img.symbols.__smp_locks_end, seen.smpLocksK]).toEqual([undefined, undefined, undefined]);
      } else if (seen.smpLocksK !== undefined) expect((img.symbols.__smp_locks_end! - img.symbols.__smp_locks!) >> 10).toBe(seen.smpLocksK);
      expect(seen.memory ?? seen.percpuStatic, 'the log has neither a Memory: nor a percpu line').toBeDefined();
    });
  }
});

// reserve_real_mode() under memblock=debug: 6.1+ "memblock_phys_alloc_range: N bytes … reserve_real_mode+…";
// 5.10 memblock_find_in_range() then "memblock_reserve: [a-b] reserve_real_mode+…". Either way the
// size is real_mode_size_needed() = PAGE_ALIGN(real_mode_blob_end − real_mode_blob).
const RM_ALLOC = /memblock_phys_alloc_range: (\d+) bytes .* reserve_real_mode\+/;
const RM_RESERVE = /memblock_reserve: \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] reserve_real_mode\+/;

function realModeSizeIn(log: string): number | undefined {
  const alloc = RM_ALLOC.exec(log);
  if (alloc) return Number(alloc[1]);
  const r = RM_RESERVE.exec(log);
  return r ? Number(BigInt(r[2]!) + 1n - BigInt(r[1]!)) : undefined;
}

const captures = profiles.filter((d) => existsSync(path.join(goldensDir, d, 'serial-memblock.log')));

describe('the real-mode blob against the memblock=debug captures', () => {
  it.skipIf(captures.length > 0)('no memblock=debug captures yet', () => {});
  for (const profile of captures) {
    const kernel = kernelOf(profile);
    const facts = ids.has(kernel) ? loadKernel(kernel).facts : undefined;
    it.skipIf(facts === undefined)(`realMode_matchCapture_${profile}: expect PAGE_ALIGN(${kernel}'s realModeBlobBytes) as reserve_real_mode's size`, () => {
      const size = realModeSizeIn(readFileSync(path.join(goldensDir, profile, 'serial-memblock.log'), 'latin1'));
      expect(size, 'the capture has no reserve_real_mode call').toBeDefined();
      expect(Math.ceil(facts!.realModeBlobBytes / 4096) * 4096).toBe(size);
    });
  }
});

// ftrace_process_locs(): "ftrace: allocating %ld entries in %ld pages" (count − skipped) and, from
// ftrace_init() (6.12+), "ftrace: allocated %ld pages with %ld groups".
const FTRACE_ENTRIES = /ftrace: allocating (\d+) entries in (\d+) pages/;
const FTRACE_GROUPS = /ftrace: allocated (\d+) pages with (\d+) groups/;

describe('the __mcount_loc table against the ftrace lines', () => {
  for (const profile of profiles) {
    const kernel = kernelOf(profile);
    const m = ids.has(kernel) ? loadKernel(kernel).facts?.mcountLoc : undefined;
    it.skipIf(m === undefined)(`mcount_matchLog_${profile}: expect ${kernel}'s live __mcount_loc entries (and 6.12+ record pages and groups) as ftrace printed them`, async () => {
      const { ftraceAllocatePages } = await import('../../../sim/stages/late-allocs.ts');
      const log = readFileSync(path.join(goldensDir, profile, 'serial.log'), 'latin1');
      const e = FTRACE_ENTRIES.exec(log);
      expect(e, 'the log has no "ftrace: allocating" line').not.toBeNull();
      expect(m!.entries - m!.zeroed).toBe(Number(e![1]));
      const g = FTRACE_GROUPS.exec(log);
      // the record-group rule is the one read in 6.12.115 and 7.2.13 (sim/stages/late-allocs.ts), where the late Memory: needs it
      const late = deriveTraits(loadKernel(kernel)).memoryLineFrom === 'page_alloc_init_late';
      if (g && late) expect(ftraceAllocatePages(m!.entries, m!.zeroed, loadKernel(kernel).facts!.structs.dyn_ftrace!.bytes)).toEqual({ pages: BigInt(g[1]!), groups: Number(g[2]) });
    });
  }
});
