// models the command-line messages: arch/x86/kernel/setup.c setup_arch() "Command line:" (X86_64),
// init/main.c start_kernel() "Kernel command line:" and print_unknown_bootoptions() (5.14+), with
// parse_args()/unknown_bootoption() deciding which parameters the kernel proper does not know
// (5.10.223, 6.1.192, 6.12.115, 7.2.13).
import type { BootContext, BootState, StageResult } from '../boot.ts';
import type { DmesgLine, MachineSpec } from '../types.ts';
import { deriveTraits, versionAtLeast, type KernelTraits } from '../traits.ts';
import { FIXED_APPEND } from '../../qemu-scripts/qemu-argv.ts';
import { term } from './mm-inputs.ts';
import { memblockAlloc, memblockFree, memblockStateOf, withMemblock, SMP_CACHE_BYTES } from './memblock.ts';

/** The -append string QEMU hands the kernel: boot_command_line (qemu-scripts/qemu-argv.ts builds the same). */
export function bootCommandLine(spec: MachineSpec): string {
  return [FIXED_APPEND, spec.cmdline].filter((p) => p !== undefined && p !== '').join(' ');
}

export interface Param {
  readonly param: string;
  readonly val: string | undefined;
}

/** lib/cmdline.c next_arg(): split at spaces outside double quotes; `param=val`; quotes stripped. */
export function parseParams(cmdline: string): Param[] {
  const out: Param[] = [];
  let i = 0;
  const s = cmdline;
  while (i < s.length) {
    while (i < s.length && s[i] === ' ') i++;
    if (i >= s.length) break;
    let inQuote = false;
    let equals = -1;
    const start = i;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === ' ' && !inQuote) break;
      if (equals < 0 && c === '=') equals = i - start;
      if (c === '"') inQuote = !inQuote;
    }
    let arg = s.slice(start, i);
    if (arg.startsWith('"')) {
      arg = arg.slice(1);
      if (equals > 0) equals--;
      if (arg.endsWith('"')) arg = arg.slice(0, -1);
    }
    if (equals < 0) out.push({ param: arg, val: undefined });
    else {
      let val = arg.slice(equals + 1);
      if (val.startsWith('"')) {
        val = val.slice(1);
        if (val.endsWith('"')) val = val.slice(0, -1);
      }
      out.push({ param: arg.slice(0, equals), val });
    }
  }
  return out;
}

/** The value of the last `name=` on the command line (parse order: the last one wins). */
export function cmdlineValue(spec: MachineSpec, name: string): string | undefined {
  let v: string | undefined;
  for (const p of parseParams(bootCommandLine(spec))) if (p.param === name) v = p.val ?? '';
  return v;
}

/**
 * Parameters the kernel proper knows, each with where it is registered. __setup names keep their
 * '=' and match as a prefix (init/main.c obsolete_checksetup, parameqn); early_param and
 * core_param names match the parameter exactly. Verified by grep in 5.10.223, 6.1.192, 6.12.115
 * and 7.2.13 (`since`/`until` where a version lacks it). Not here, and so unknown: `nokaslr`,
 * which only arch/x86/boot/compressed/kaslr.c reads (the decompressor, not the kernel proper).
 */
const KNOWN: readonly { readonly name: string; readonly kind: 'early' | 'setup' | 'core'; readonly where: string; readonly since?: [number, number]; readonly until?: [number, number] }[] = [
  { name: 'console=', kind: 'setup', where: 'kernel/printk/printk.c: __setup("console=", console_setup)' },
  { name: 'loglevel', kind: 'early', where: 'init/main.c: early_param("loglevel", loglevel)' },
  { name: 'panic', kind: 'core', where: 'kernel/panic.c: core_param(panic, panic_timeout, int, 0644)' },
  { name: 'mem', kind: 'early', where: 'arch/x86/kernel/e820.c: early_param("mem", parse_memopt)' },
  { name: 'memmap', kind: 'early', where: 'arch/x86/kernel/e820.c: early_param("memmap", parse_memmap_opt)' },
  { name: 'memblock', kind: 'early', where: 'mm/memblock.c: early_param("memblock", early_memblock)' },
  { name: 'numa', kind: 'early', where: 'arch/x86/mm/numa.c: early_param("numa", numa_setup)' },
  { name: 'hashdist=', kind: 'setup', where: 'mm/page_alloc.c (mm/mm_init.c 6.12+): __setup("hashdist=", set_hashdist)' },
  { name: 'dhash_entries=', kind: 'setup', where: 'fs/dcache.c: __setup("dhash_entries=", set_dhash_entries)' },
  { name: 'ihash_entries=', kind: 'setup', where: 'fs/inode.c: __setup("ihash_entries=", set_ihash_entries)' },
  { name: 'swiotlb', kind: 'early', where: 'kernel/dma/swiotlb.c: early_param("swiotlb", setup_io_tlb_npages)' },
  { name: 'iommu', kind: 'early', where: 'arch/x86/kernel/pci-dma.c: early_param("iommu", iommu_setup)' },
  { name: 'movablecore', kind: 'early', where: 'mm/page_alloc.c (mm/mm_init.c 6.12+): early_param("movablecore", …)' },
  { name: 'kernelcore', kind: 'early', where: 'mm/page_alloc.c (mm/mm_init.c 6.12+): early_param("kernelcore", …)' },
  { name: 'crashkernel', kind: 'early', where: 'kernel/crash_core.c (kernel/crash_reserve.c 6.12+): early_param("crashkernel", parse_crashkernel_dummy)', since: [6, 1] },
  { name: 'nopat', kind: 'early', where: 'arch/x86/mm/pat/memtype.c: early_param("nopat", nopat)' },
  { name: 'init_on_alloc', kind: 'early', where: 'mm/page_alloc.c (mm/mm_init.c 6.12+): early_param("init_on_alloc", early_init_on_alloc)' },
  { name: 'init_on_free', kind: 'early', where: 'mm/page_alloc.c (mm/mm_init.c 6.12+): early_param("init_on_free", early_init_on_free)' },
  { name: 'slub_min_objects=', kind: 'setup', where: 'mm/slub.c: __setup("slub_min_objects=", setup_slub_min_objects)', until: [6, 1] },
  { name: 'slub_max_order=', kind: 'setup', where: 'mm/slub.c: __setup("slub_max_order=", setup_slub_max_order)', until: [6, 1] },
  { name: 'slub_min_order=', kind: 'setup', where: 'mm/slub.c: __setup("slub_min_order=", setup_slub_min_order)', until: [6, 1] },
  { name: 'nr_cpus', kind: 'early', where: 'kernel/smp.c: early_param("nr_cpus", nrcpus)' },
  { name: 'possible_cpus', kind: 'early', where: 'arch/x86/kernel/smpboot.c: early_param("possible_cpus", …)' },
  { name: 'nosmp', kind: 'early', where: 'kernel/smp.c: early_param("nosmp", nosmp)' },
  { name: 'percpu_alloc', kind: 'early', where: 'mm/percpu.c: early_param("percpu_alloc", percpu_alloc_setup)' },
  { name: 'quiet', kind: 'early', where: 'init/main.c: early_param("quiet", quiet_kernel)' },
  { name: 'debug', kind: 'early', where: 'init/main.c: early_param("debug", debug_kernel)' },
  { name: 'earlyprintk', kind: 'early', where: 'arch/x86/kernel/early_printk.c: early_param("earlyprintk", setup_early_printk)' },
  { name: 'ignore_loglevel', kind: 'early', where: 'kernel/printk/printk.c: early_param("ignore_loglevel", …)' },
  { name: 'cma', kind: 'early', where: 'kernel/dma/contiguous.c: early_param("cma", early_cma)' },
  { name: 'memtest', kind: 'early', where: 'mm/memtest.c: early_param("memtest", parse_memtest)' },
  { name: 'transparent_hugepage=', kind: 'setup', where: 'mm/huge_memory.c: __setup("transparent_hugepage=", setup_transparent_hugepage)' },
  { name: 'numa_balancing=', kind: 'setup', where: 'kernel/sched/fair.c: __setup("numa_balancing=", setup_numabalancing)' },
  { name: 'norandmaps', kind: 'setup', where: 'mm/memory.c: __setup("norandmaps", disable_randmaps)' },
];

/** Whether the kernel proper knows `param`, and by which registration. */
export function knownParam(p: Param, traits: KernelTraits): string | undefined {
  const v = traits.version;
  for (const k of KNOWN) {
    if (k.since && !versionAtLeast(v, k.since[0], k.since[1])) continue;
    if (k.until && versionAtLeast(v, k.until[0], k.until[1] + 1)) continue;
    if (k.kind === 'setup') {
      const full = p.val === undefined ? p.param : `${p.param}=${p.val}`;
      if (full.startsWith(k.name)) return k.where;
    } else if (p.param === k.name) return k.where;
  }
  return undefined;
}

/**
 * init/main.c unknown_bootoption(): what is left after parse_args() and the __setup table,
 * minus bootloader ids ("BOOT_IMAGE=", "kexec") and module parameters (a '.' in the name).
 * Options without a value go to argv_init, the rest to envp_init; argv entries print first.
 * Parameters past "--" go to init and are never "unknown".
 */
export function unknownParams(cmdline: string, traits: KernelTraits): string[] {
  const argv: string[] = [];
  const envp: string[] = [];
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (knownParam(p, traits)) continue;
    if (p.param.startsWith('BOOT_IMAGE') || p.param.startsWith('kexec')) continue;
    if (p.param.includes('.')) continue;
    if (p.val === undefined) argv.push(p.param);
    else {
      const s = `${p.param}=${p.val}`;
      // strncmp(param, envp_init[i], len+1): a later NAME=… replaces an earlier one
      const at = envp.findIndex((e) => e.startsWith(`${p.param}=`));
      if (at >= 0) envp[at] = s;
      else envp.push(s);
    }
  }
  return [...argv, ...envp];
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'cmdline', fmt, text, ...(explain ? { explain } : {}) });

/** setup_arch() (X86_64 only, before the e820 map): pr_info("Command line: %s\n", boot_command_line). */
export function cmdlineArch(state: BootState, ctx: BootContext): StageResult {
  const traits = deriveTraits(ctx.kernel);
  if (traits.arch !== 'x86_64') return { state, lines: [] };
  const cl = bootCommandLine(ctx.spec);
  return {
    state,
    lines: [line('cmdline.x86', `Command line: ${cl}`, { cmdline: [term('boot_command_line', cl, 'QEMU -append: qemu-scripts/qemu-argv.ts FIXED_APPEND + profile cmdline')] })],
  };
}

/** start_kernel(): "Kernel command line:", then parse_args() and print_unknown_bootoptions(). */
export function cmdlineKernel(state: BootState, ctx: BootContext): StageResult {
  const traits = deriveTraits(ctx.kernel);
  const cl = bootCommandLine(ctx.spec);
  const lines: DmesgLine[] = [
    line('cmdline.kernel', `Kernel command line: ${cl}`, { cmdline: [term('saved_command_line', cl, 'init/main.c setup_command_line(): boot_command_line (no bootconfig, no extra_init_args)')] }),
  ];
  let next = state;
  if (traits.printsUnknownBootoptions) {
    const unknown = unknownParams(cl, traits);
    if (unknown.length > 0) {
      const s = unknown.join(' ');
      // init/main.c print_unknown_bootoptions() (6.1, 6.12, 7.2): len = 1 + Σ (1 + strlen), memblock_alloc(len,
      // SMP_CACHE_BYTES) for the string, memblock_free() right after printing it
      const len = BigInt(new TextEncoder().encode(s).length + 2);
      const a = memblockAlloc(memblockStateOf(state), {
        size: len, align: SMP_CACHE_BYTES, why: 'unknown boot options string', source: 'init/main.c: print_unknown_bootoptions() (6.1)', stage: 'cmdline',
        caller: 'start_kernel > print_unknown_bootoptions',
      });
      next = withMemblock(state, memblockFree(a.mb, a.addr, len));
      lines.push(
        line('cmdline.unknown', `Unknown kernel command line parameters "${s}", will be passed to user space.`, {
          params: unknown.map((u) => term(u, u, 'init/main.c unknown_bootoption(): no early_param/__setup/core_param of that name in the kernel proper')),
        }),
      );
    }
  }
  return { state: next, lines };
}
