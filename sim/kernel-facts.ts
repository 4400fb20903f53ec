// What the simulator knows about one pinned kernel build. Everything here is
// extracted from the Debian package by qemu-scripts/kernel/facts.ts, never from a log.
import type { Arch } from './types.ts';

/** One package file behind a catalog entry, pinned by sha256. */
export interface PinnedPackage {
  readonly package: string;
  readonly version: string;
  readonly suite: string;
  readonly sha256: string;
}

/** The hand-written header of goldens/kernels/<id>.yaml. */
export interface KernelPin extends PinnedPackage {
  readonly id: string;
  readonly arch: Arch;
  /** `uname -r` of the build. */
  readonly release: string;
  /** Path of the bzImage inside the image package. */
  readonly image: string;
  /** Where the build's config sits; 7.2 keeps it in a sibling package. */
  readonly config: { readonly package: string; readonly sha256: string; readonly path: string };
}

/** A struct size with where it came from: BTF, or a derivation from source and config. */
export interface StructSize {
  readonly bytes: number;
  /** 'btf' or a one-line derivation, e.g. "include/linux/mm_types.h (6.1), 32-bit: … = 40". */
  readonly source: string;
}

/**
 * The __mcount_loc table ftrace_init() walks (kernel/trace/ftrace.c): `entries` words in all
 * (__stop_mcount_loc − __start_mcount_loc), of which `zeroed` are the sites scripts/sorttable.c
 * zeroed (ftrace_process_locs skips them). Found by qemu-scripts/kernel/mcount.ts.
 */
export interface McountLoc {
  readonly entries: number;
  readonly zeroed: number;
}

/** The payload compressions the kernel's boot decompressor knows (lib/decompress.c). */
export type Compression = 'gzip' | 'bzip2' | 'lzma' | 'xz' | 'lzo' | 'lz4' | 'zstd';

/**
 * Linker-script symbols of the image (arch/x86/kernel/vmlinux.lds.S) as link-time physical
 * addresses: virtual − LOAD_OFFSET. With nokaslr the kernel runs where it is linked, so these
 * are what memblock sees (__pa_symbol). Each rule is in qemu-scripts/kernel/layout.ts.
 */
export interface ImageSymbols {
  readonly _text: number;
  readonly _stext: number;
  readonly _etext: number;
  readonly __start_rodata: number;
  readonly __end_rodata: number;
  readonly _sdata: number;
  readonly _edata: number;
  readonly __init_begin: number;
  /** Where the boot CPU's static percpu copy is loaded: inside [__init_begin, __init_end). */
  readonly __per_cpu_load: number;
  readonly __init_end: number;
  /** The LOCK prefix table; free_init_pages("SMP alternatives") frees [__smp_locks, __smp_locks_end) on SMP. */
  readonly __smp_locks: number;
  readonly __smp_locks_end: number;
  readonly __bss_start: number;
  readonly __bss_stop: number;
  /** setup_arch reserves [_text, __end_of_kernel_reserve) early (= __bss_stop). */
  readonly __end_of_kernel_reserve: number;
  readonly __brk_base: number;
  readonly __brk_limit: number;
  readonly _end: number;
}

/** The image layout behind `Memory: …K/…K available (…K kernel code, …)`. */
export interface ImageLayout {
  /** LOAD_OFFSET as hex (it passes 2^53 on x86_64): __START_KERNEL_map, or __PAGE_OFFSET on i386. */
  readonly loadOffset: string;
  /** x86_64 before 6.15 links .data..percpu at 0 (PERCPU_VADDR) and loads it at __init_begin. */
  readonly percpuZeroBased: boolean;
  readonly symbols: ImageSymbols;
  /** mem_init_print_info's sizes as printed, bytes >> 10: _etext − _stext. */
  readonly codeK: number;
  /** _edata − _sdata. */
  readonly rwdataK: number;
  /** __end_rodata − __start_rodata. */
  readonly rodataK: number;
  /** init_data_size + init_code_size = __init_end − __init_begin. */
  readonly initK: number;
  /** __bss_stop − __bss_start. */
  readonly bssK: number;
  /** __brk_limit − __brk_base: the brk area (64K slop + RESERVE_BRK users); reserve_brk keeps only what was used. */
  readonly brkBytes: number;
}

/** The bzImage setup header fields a loader model needs (Documentation/arch/x86/boot.rst). */
export interface BzImageFacts {
  /** Boot protocol, e.g. "2.15". */
  readonly protocol: string;
  /** setup_sects with 0 read as 4. */
  readonly setupSects: number;
  /** pref_address: LOAD_PHYSICAL_ADDR, where the kernel is linked to run. */
  readonly prefAddress: number;
  readonly kernelAlignment: number;
  readonly relocatable: boolean;
  /** init_size: the memory from prefAddress the kernel needs while it decompresses and starts. */
  readonly initSize: number;
}

/** One entry of the .init.setup table: __setup(str, fn) or early_param(str, fn) (include/linux/init.h). */
export interface SetupParam {
  /** The registered name as the table holds it; a __setup name keeps its trailing '=' if it has one. */
  readonly str: string;
  /** early_param (parsed in parse_early_param(), matched exactly) rather than __setup (matched as a prefix). */
  readonly early: boolean;
}

/** One struct kernel_param of the __param section (include/linux/moduleparam.h). */
export interface ModuleParam {
  /** "modname.param" for a built-in module's module_param, the bare name for core_param. */
  readonly name: string;
  /** The initcall level it is set at; -1 for module_param/core_param, parsed by start_kernel's parse_args(). */
  readonly level: number;
  /** ops->flags has KERNEL_PARAM_OPS_FL_NOARG: the parameter may be given without a value. */
  readonly noarg: boolean;
}

/** The parameters the kernel proper recognises, from its tables (qemu-scripts/kernel/params.ts). */
export interface KernelParams {
  /** __setup_start[]..__setup_end[], in table order. */
  readonly setup: readonly SetupParam[];
  /** __start___param[]..__stop___param[], in table order. */
  readonly module: readonly ModuleParam[];
}

/** Facts extracted from the package by qemu-scripts/kernel/facts.ts, never from a log. */
export interface KernelFacts {
  /** The "Linux version …" banner, as in the image's linux_banner, without its newline. */
  readonly banner: string;
  /**
   * Config options that matter to the simulator: name without CONFIG_ → value ('y', 'm',
   * numbers as decimal strings, strings unquoted). An option that is not set is absent.
   */
  readonly config: Readonly<Record<string, string>>;
  /** sha256 of the whole config file, for traceability. */
  readonly configSha256: string;
  /** Compression of the bzImage payload. */
  readonly compression: Compression;
  readonly bzImage: BzImageFacts;
  /** Section layout behind the Memory: line. */
  readonly image: ImageLayout;
  /** Size of .data..percpu in bytes, __per_cpu_end − __per_cpu_start: percpu's "s" value. */
  readonly staticPercpuBytes: number;
  /**
   * real_mode_blob_end − real_mode_blob (arch/x86/realmode/rmpiggy.S): the real-mode trampoline
   * that reserve_real_mode() places below 1M, PAGE_ALIGNed (real_mode_size_needed()).
   */
  readonly realModeBlobBytes: number;
  /** Struct sizes the stages need, e.g. page, pglist_data. */
  readonly structs: Readonly<Record<string, StructSize>>;
  /** The kernel parameters the build registers: the .init.setup table and the __param section. */
  readonly params: KernelParams;
  /** The ftrace call-site table; absent on a build without one. */
  readonly mcountLoc?: McountLoc;
}

export interface KernelEntry extends KernelPin {
  /** Absent until `bootsim kernel facts <id>` has run. */
  readonly facts: KernelFacts | undefined;
  /** The catalog file this entry was read from. */
  readonly file: string;
}
