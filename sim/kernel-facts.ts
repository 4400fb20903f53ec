// What the simulator knows about one pinned kernel build. Everything here is
// extracted from the Debian package by qemu-scripts/kernel/facts.ts, never from a log.
import * as v from 'valibot';

// Each shape is a valibot schema and its type is derived from it (v.InferOutput), so the file
// and the code agree by construction: harness/kernels.ts validates goldens/kernels/<id>.yaml
// against KernelFileSchema on load. The facts are written by our own extractor, so their objects
// are strict: a key the schema does not name is junk, or a new fact not declared here yet. The
// header is written by hand and may carry notes of its own: its unknown keys are ignored.

const int = (what: string) => v.pipe(v.number(what), v.integer(what));
const count = (what: string) => v.pipe(v.number(what), v.integer(what), v.minValue(0, what));
const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));
const address = count('an address (a whole number ≥ 0)');

/** One package file behind a catalog entry, pinned by sha256. */
export const PinnedPackageSchema = v.object({
  package: nonEmpty,
  version: nonEmpty,
  suite: nonEmpty,
  sha256,
});
export type PinnedPackage = Readonly<v.InferOutput<typeof PinnedPackageSchema>>;

/** The hand-written header of goldens/kernels/<id>.yaml. */
export const KernelPinSchema = v.object({
  ...PinnedPackageSchema.entries,
  id: nonEmpty,
  arch: v.picklist(['x86_64', 'i386'], 'x86_64 or i386'),
  /** `uname -r` of the build. */
  release: nonEmpty,
  /** Path of the bzImage inside the image package. */
  image: nonEmpty,
  /** Where the build's config sits; 7.2 keeps it in a sibling package. */
  config: v.pipe(v.object({ package: nonEmpty, sha256, path: nonEmpty }), v.readonly()),
  /**
   * A build without BTF (the 686 flavours): Debian's -dbg package of the same version and suite,
   * whose vmlinux at `path` has the DWARF the struct sizes are read from (qemu-scripts/kernel/dwarf.ts).
   */
  debug: v.optional(v.pipe(v.strictObject({ package: nonEmpty, sha256, path: nonEmpty }), v.readonly())),
});
export type KernelPin = Readonly<v.InferOutput<typeof KernelPinSchema>>;

/** A struct size with where it came from: BTF, or a derivation from source and config. */
export const StructSizeSchema = v.pipe(v.strictObject({
  bytes: v.pipe(v.number('a size in bytes ≥ 1'), v.integer('a size in bytes ≥ 1'), v.minValue(1, 'a size in bytes ≥ 1')),
  /** 'btf' or a one-line derivation, e.g. "include/linux/mm_types.h (6.1), 32-bit: … = 40". */
  source: nonEmpty,
}), v.readonly());
export type StructSize = v.InferOutput<typeof StructSizeSchema>;

/**
 * The __mcount_loc table ftrace_init() walks (kernel/trace/ftrace.c): `entries` words in all
 * (__stop_mcount_loc − __start_mcount_loc), of which `zeroed` are the sites scripts/sorttable.c
 * zeroed (ftrace_process_locs skips them). Found by qemu-scripts/kernel/mcount.ts.
 */
export const McountLocSchema = v.pipe(v.strictObject({ entries: count('a count ≥ 0'), zeroed: count('a count ≥ 0') }), v.readonly());
export type McountLoc = v.InferOutput<typeof McountLocSchema>;

/**
 * The lists two early initcalls kmalloc an entry for each item of (qemu-scripts/kernel/boot-lists.ts):
 * populate_kprobe_blacklist()'s NOKPROBE_SYMBOL words and the symbols of the kprobes, noinstr and entry
 * text areas, and dynamic_debug_init()'s modules (runs of one modname in __dyndbg).
 */
export const BootListsSchema = v.pipe(v.strictObject({
  kprobeBlacklist: v.pipe(v.strictObject({ sectionEntries: count('a count ≥ 0'), areaEntries: count('a count ≥ 0') }), v.readonly()),
  dyndbgModules: count('a count ≥ 0'),
}), v.readonly());
export type BootLists = v.InferOutput<typeof BootListsSchema>;

/**
 * The static trace events (kernel/trace/trace_events.c event_trace_enable, 6.12, 7.2): the
 * non-syscall events, their distinct classes and those classes' fields_array entries; the
 * syscall_metadata count, the fields_array entries of the syscall enter and exit classes, and
 * the syscall_metadata init_ftrace_syscalls() maps to a sys_call_table entry, with the sum of
 * their arguments. Found by qemu-scripts/kernel/trace-events.ts.
 */
export const TraceEventsSchema = v.pipe(v.strictObject({
  events: count('a count ≥ 0'),
  classes: count('a count ≥ 0'),
  classFields: count('a count ≥ 0'),
  syscallMetas: count('a count ≥ 0'),
  syscallEnterClassFields: count('a count ≥ 0'),
  syscallExitClassFields: count('a count ≥ 0'),
  syscallsMapped: count('a count ≥ 0'),
  syscallArgFields: count('a count ≥ 0'),
}), v.readonly());
export type TraceEvents = v.InferOutput<typeof TraceEventsSchema>;

/** The payload compressions the kernel's boot decompressor knows (lib/decompress.c). */
export const COMPRESSIONS = ['gzip', 'bzip2', 'lzma', 'xz', 'lzo', 'lz4', 'zstd'] as const;
export const CompressionSchema = v.picklist(COMPRESSIONS, `one of ${COMPRESSIONS.join(', ')}`);
export type Compression = v.InferOutput<typeof CompressionSchema>;

/**
 * Linker-script symbols of the image (arch/x86/kernel/vmlinux.lds.S) as link-time physical
 * addresses: virtual − LOAD_OFFSET. With nokaslr the kernel runs where it is linked, so these
 * are what memblock sees (__pa_symbol). Each rule is in qemu-scripts/kernel/layout.ts.
 * __per_cpu_load: where the boot CPU's static percpu copy is loaded, inside [__init_begin, __init_end).
 * __smp_locks…__smp_locks_end: the LOCK prefix table; free_init_pages("SMP alternatives") frees it on SMP.
 * Absent on a build without one (7.3: traits.smpLocks 'none'; its vmlinux.lds.S has no .smp_locks).
 * __end_of_kernel_reserve: setup_arch reserves [_text, __end_of_kernel_reserve) early (= __bss_stop).
 */
export const ImageSymbolsSchema = v.pipe(v.strictObject({
  _text: address,
  _stext: address,
  _etext: address,
  __start_rodata: address,
  __end_rodata: address,
  _sdata: address,
  _edata: address,
  __init_begin: address,
  __per_cpu_load: address,
  __init_end: address,
  __smp_locks: v.optional(address),
  __smp_locks_end: v.optional(address),
  __bss_start: address,
  __bss_stop: address,
  __end_of_kernel_reserve: address,
  __brk_base: address,
  __brk_limit: address,
  _end: address,
}), v.readonly());
export type ImageSymbols = v.InferOutput<typeof ImageSymbolsSchema>;

/**
 * The image layout behind `Memory: …K/…K available (…K kernel code, …)`. loadOffset is hex (it
 * passes 2^53 on x86_64): __START_KERNEL_map, or __PAGE_OFFSET on i386. x86_64 before 6.15 links
 * .data..percpu at 0 (percpuZeroBased, PERCPU_VADDR) and loads it at __init_begin. The …K sizes
 * are mem_init_print_info's, bytes >> 10: code _etext − _stext, rwdata _edata − _sdata, rodata
 * __end_rodata − __start_rodata, init __init_end − __init_begin, bss __bss_stop − __bss_start.
 * brkBytes: __brk_limit − __brk_base, the brk area (64K slop + RESERVE_BRK users).
 */
export const ImageLayoutSchema = v.pipe(v.strictObject({
  loadOffset: v.pipe(v.string(), v.regex(/^0x[0-9a-f]+$/, 'a hex string like "0xffffffff80000000"')),
  percpuZeroBased: v.boolean(),
  symbols: ImageSymbolsSchema,
  codeK: count('a size in K ≥ 0'),
  rwdataK: count('a size in K ≥ 0'),
  rodataK: count('a size in K ≥ 0'),
  initK: count('a size in K ≥ 0'),
  bssK: count('a size in K ≥ 0'),
  brkBytes: count('a size in bytes ≥ 0'),
}), v.readonly());
export type ImageLayout = v.InferOutput<typeof ImageLayoutSchema>;

/**
 * The bzImage setup header fields a loader model needs (Documentation/arch/x86/boot.rst):
 * protocol e.g. "2.15"; setupSects with 0 read as 4; prefAddress = LOAD_PHYSICAL_ADDR, where the
 * kernel is linked to run; initSize, the memory from prefAddress the kernel needs while it
 * decompresses and starts.
 */
export const BzImageFactsSchema = v.pipe(v.strictObject({
  protocol: v.pipe(v.string(), v.regex(/^\d+\.\d{2}$/, 'a boot protocol like "2.15"')),
  setupSects: count('a sector count ≥ 0'),
  prefAddress: address,
  kernelAlignment: count('an alignment in bytes'),
  relocatable: v.boolean(),
  initSize: count('a size in bytes ≥ 0'),
}), v.readonly());
export type BzImageFacts = v.InferOutput<typeof BzImageFactsSchema>;

/**
 * One entry of the .init.setup table: __setup(str, fn) or early_param(str, fn) (include/linux/init.h).
 * `str` is the registered name as the table holds it (a __setup name keeps its trailing '=');
 * `early`: early_param (parsed in parse_early_param(), matched exactly) rather than __setup (a prefix).
 */
export const SetupParamSchema = v.pipe(v.strictObject({ str: nonEmpty, early: v.boolean() }), v.readonly());
export type SetupParam = v.InferOutput<typeof SetupParamSchema>;

/**
 * One struct kernel_param of the __param section (include/linux/moduleparam.h): `name` is
 * "modname.param" for a built-in module's module_param, the bare name for core_param; `level` the
 * initcall level it is set at, -1 for module_param/core_param (start_kernel's parse_args());
 * `noarg`: ops->flags has KERNEL_PARAM_OPS_FL_NOARG, the parameter may be given without a value.
 */
export const ModuleParamSchema = v.pipe(v.strictObject({ name: nonEmpty, level: int('an initcall level'), noarg: v.boolean() }), v.readonly());
export type ModuleParam = v.InferOutput<typeof ModuleParamSchema>;

/** The parameters the kernel proper recognises, from its tables (qemu-scripts/kernel/params.ts), each in table order. */
export const KernelParamsSchema = v.pipe(v.strictObject({
  /** __setup_start[]..__setup_end[]. */
  setup: v.pipe(v.array(SetupParamSchema), v.readonly()),
  /** __start___param[]..__stop___param[]. */
  module: v.pipe(v.array(ModuleParamSchema), v.readonly()),
}), v.readonly());
export type KernelParams = v.InferOutput<typeof KernelParamsSchema>;

/** Facts extracted from the package by qemu-scripts/kernel/facts.ts, never from a log; in the order the extractor writes them. */
export const KernelFactsSchema = v.pipe(v.strictObject({
  /** The "Linux version …" banner, as in the image's linux_banner, without its newline. */
  banner: v.pipe(v.string(), v.startsWith('Linux version ', 'a "Linux version …" banner')),
  /** Compression of the bzImage payload. */
  compression: CompressionSchema,
  bzImage: BzImageFactsSchema,
  /** Section layout behind the Memory: line. */
  image: ImageLayoutSchema,
  /** Size of .data..percpu in bytes, __per_cpu_end − __per_cpu_start: percpu's "s" value. */
  staticPercpuBytes: count('a size in bytes ≥ 0'),
  /**
   * real_mode_blob_end − real_mode_blob (arch/x86/realmode/rmpiggy.S): the real-mode trampoline
   * that reserve_real_mode() places below 1M, PAGE_ALIGNed (real_mode_size_needed()).
   */
  realModeBlobBytes: count('a size in bytes ≥ 0'),
  /** Struct sizes the stages need, by struct name, e.g. page, pglist_data. */
  structs: v.pipe(v.record(v.pipe(v.string(), v.regex(/^\w+$/, 'a C struct name')), StructSizeSchema), v.readonly()),
  /** The kernel parameters the build registers: the .init.setup table and the __param section. */
  params: KernelParamsSchema,
  /** The ftrace call-site table; absent on a build without one. */
  mcountLoc: v.optional(McountLocSchema),
  /** The static trace events; absent on a build without event tracing. */
  traceEvents: v.optional(TraceEventsSchema),
  /** The kprobe blacklist and dynamic-debug module counts; absent before 6.12 or without KPROBES and DYNAMIC_DEBUG. */
  bootLists: v.optional(BootListsSchema),
  /** sha256 of the whole config file, for traceability. */
  configSha256: sha256,
  /**
   * Config options that matter to the simulator: name without CONFIG_ → value ('y', 'm',
   * numbers as decimal strings, strings unquoted). An option that is not set is absent.
   */
  config: v.pipe(v.record(v.pipe(v.string(), v.regex(/^[A-Z0-9_]+$/, 'a config option name without CONFIG_')), v.string('a string (numbers are quoted)')), v.readonly()),
}), v.readonly());
export type KernelFacts = v.InferOutput<typeof KernelFactsSchema>;

/** A whole goldens/kernels/<id>.yaml of a Debian pin: the hand-written pin, and the facts once extracted. */
export const DebianKernelFileSchema = v.object({
  ...KernelPinSchema.entries,
  facts: v.optional(KernelFactsSchema),
});

// ---------------------------------------------------------------------------------------------
// Local builds: a catalog entry that names a bzImage, config and optional vmlinux built from a
// public source tree (`bootsim kernel add`), instead of a Debian package.

/** A file name inside the entry's image folder, goldens/kernels/images/<id>/: no folder part. */
const fileName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'a file name inside goldens/kernels/images/<id>/ (no "/")'));

/** One file of a local build, pinned by sha256. */
export const PinnedFileSchema = v.pipe(v.strictObject({ path: fileName, sha256 }), v.readonly());
export type PinnedFile = v.InferOutput<typeof PinnedFileSchema>;

/** Where a local build's source comes from: a public repository at one commit, and the kernel tree's folder in it. */
export const LocalSourceSchema = v.pipe(v.strictObject({
  /** "owner/name" on GitHub, or a clone URL. */
  repository: v.pipe(v.string(), v.regex(/^([A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*|(https?|git):\/\/\S+)$/, 'a repository as owner/name or a clone URL')),
  commit: v.pipe(v.string(), v.regex(/^[0-9a-f]{40}$/, 'a 40-hex commit id')),
  /** The kernel tree's folder inside the repository; absent when it is the repository's root. */
  tree: v.optional(v.pipe(v.string(), v.regex(/^[^/.][^\s]*$/, 'a relative folder inside the repository'))),
}), v.readonly());

/** The pinned files of a local build and how they were made. */
export const LocalBuildSchema = v.pipe(v.strictObject({
  bzImage: PinnedFileSchema,
  config: PinnedFileSchema,
  /** The ELF the bzImage was made from (e.g. vmlinux.xz, xz-compressed); its symbol table gives facts a stripped payload cannot. */
  vmlinux: v.optional(PinnedFileSchema),
  /** The build's System.map, for a build without a vmlinux (a prebuilt image): the linker symbols come from it, checked against the image. */
  systemMap: v.optional(PinnedFileSchema),
  source: LocalSourceSchema,
  /** The build recipe (a script or notes) beside the images; pinned too. */
  recipe: PinnedFileSchema,
}), v.readonly());
export type LocalBuild = v.InferOutput<typeof LocalBuildSchema>;

/** A catalog id: lower-case letters, digits, '.', '_' and '-', starting with a digit or letter. */
export const KERNEL_ID = /^[a-z0-9][a-z0-9._-]*$/;

/** The header of goldens/kernels/<id>.yaml for a local build, written by `bootsim kernel add`. */
export const LocalKernelPinSchema = v.object({
  id: v.pipe(v.string(), v.regex(KERNEL_ID, 'an id of lower-case letters, digits, ".", "_" and "-"')),
  arch: v.picklist(['x86_64', 'i386'], 'x86_64 or i386'),
  /** The kernel version the tree builds, e.g. "3.0.1" (VERSION.PATCHLEVEL.SUBLEVEL of its Makefile). */
  version: v.pipe(v.string(), v.regex(/^\d+\.\d+(\.\d+){0,2}$/, 'a kernel version like "3.0.1"')),
  /** `uname -r` of the build, as its banner says. */
  release: nonEmpty,
  local: LocalBuildSchema,
});
export type LocalKernelPin = Readonly<v.InferOutput<typeof LocalKernelPinSchema>>;

/** Why a fact is not in a local build's facts: one line each, e.g. which kernel change brought it. */
const reason = v.pipe(v.string(), v.minLength(1, 'a reason'));

/**
 * The facts of a local build that does not have all of KernelFacts (an old kernel: a 2.6.x
 * bzImage of boot protocol 2.0x, no BTF, no arch/x86/realmode…). What exists is extracted as for
 * the packages; every KernelFacts key that is not here is named in `absent` with the reason,
 * never invented. `symbols` holds the linker-script symbols read from the vmlinux's .symtab
 * (link-time physical addresses), since the era's Memory: arithmetic differs from
 * ImageLayoutSchema's. Written by qemu-scripts/kernel/facts-local.ts.
 */
export const PartialKernelFactsSchema = v.pipe(v.strictObject({
  banner: v.pipe(v.string(), v.startsWith('Linux version ', 'a "Linux version …" banner')),
  compression: CompressionSchema,
  /** The setup header fields the image's boot protocol has (kernel_alignment and relocatable from 2.05, pref_address and init_size from 2.10). */
  bzImage: v.pipe(v.strictObject({
    protocol: v.pipe(v.string(), v.regex(/^\d+\.\d{2}$/, 'a boot protocol like "2.03"')),
    setupSects: count('a sector count ≥ 0'),
    prefAddress: v.optional(address),
    kernelAlignment: v.optional(count('an alignment in bytes')),
    relocatable: v.optional(v.boolean()),
    initSize: v.optional(count('a size in bytes ≥ 0')),
  }), v.readonly()),
  loadOffset: v.optional(v.pipe(v.string(), v.regex(/^0x[0-9a-f]+$/, 'a hex string like "0xc0000000"'))),
  /** Linker-script symbols the .symtab has, by name, as link-time physical addresses. */
  symbols: v.optional(v.pipe(v.record(v.pipe(v.string(), v.regex(/^\w+$/, 'a symbol name')), address), v.readonly())),
  image: v.optional(ImageLayoutSchema),
  staticPercpuBytes: v.optional(count('a size in bytes ≥ 0')),
  realModeBlobBytes: v.optional(count('a size in bytes ≥ 0')),
  structs: v.optional(v.pipe(v.record(v.pipe(v.string(), v.regex(/^\w+$/, 'a C struct name')), StructSizeSchema), v.readonly())),
  params: v.optional(KernelParamsSchema),
  mcountLoc: v.optional(McountLocSchema),
  traceEvents: v.optional(TraceEventsSchema),
  bootLists: v.optional(BootListsSchema),
  configSha256: sha256,
  config: v.pipe(v.record(v.pipe(v.string(), v.regex(/^[A-Z0-9_]+$/, 'a config option name without CONFIG_')), v.string('a string (numbers are quoted)')), v.readonly()),
  /** Each KernelFacts key this build lacks (and symbols, when there is no vmlinux), with why. */
  absent: v.pipe(v.record(v.pipe(v.string(), v.regex(/^\w+$/, 'a fact name')), reason), v.readonly()),
}), v.check((f) => PARTIAL_FACTS.every((k) => (f[k] === undefined) !== (f.absent[k] === undefined)), 'each of image, staticPercpuBytes, realModeBlobBytes, structs, params either present or named in absent (with the reason), not both'), v.readonly());
export type PartialKernelFacts = v.InferOutput<typeof PartialKernelFactsSchema>;

/** The KernelFacts keys PartialKernelFacts may lack, each then named in `absent`. */
export const PARTIAL_FACTS = ['image', 'staticPercpuBytes', 'realModeBlobBytes', 'structs', 'params'] as const;

/** A whole goldens/kernels/<id>.yaml of a local build: complete facts where the build has them all, else the partial ones. */
export const LocalKernelFileSchema = v.object({
  ...LocalKernelPinSchema.entries,
  facts: v.optional(v.union([KernelFactsSchema, PartialKernelFactsSchema], 'complete facts (KernelFacts) or partial ones with an absent: list')),
});

/** Either form of goldens/kernels/<id>.yaml; harness/kernels.ts picks the schema by the `local:` key for the messages. */
export const KernelFileSchema = v.union([DebianKernelFileSchema, LocalKernelFileSchema]);

interface EntryCommon {
  /** Complete facts; absent until `bootsim kernel facts <id>` has run, or when the build lacks some (then see partialFacts). */
  readonly facts: KernelFacts | undefined;
  /** A local build's facts when some KernelFacts are absent (each named with its reason). */
  readonly partialFacts?: PartialKernelFacts | undefined;
  /** The catalog file this entry was read from. */
  readonly file: string;
}

/** A catalog entry: a pinned Debian package, or a local build (`local:`). */
export type KernelEntry = (KernelPin & EntryCommon & { readonly local?: undefined }) | (LocalKernelPin & EntryCommon);
export type LocalKernelEntry = LocalKernelPin & EntryCommon;

/** True for a local build's entry. */
export const isLocalKernel = (k: KernelEntry): k is LocalKernelEntry => k.local !== undefined;

/** The sha256 that identifies what boots: the package's, or a local build's bzImage. */
export const bootedSha256 = (k: KernelEntry): string => (k.local !== undefined ? k.local.bzImage.sha256 : k.sha256);

/** What a golden's meta.yaml records of its kernel (qemu-scripts/capture-meta.ts): the package pin, or the local build's source. */
export function kernelProvenance(k: KernelEntry): { id: string; version: string; release: string; sha256: string } & ({ package: string; suite: string } | { source: { repository: string; commit: string } }) {
  if (k.local === undefined) return { id: k.id, package: k.package, version: k.version, suite: k.suite, sha256: k.sha256, release: k.release };
  return { id: k.id, version: k.version, sha256: k.local.bzImage.sha256, release: k.release, source: { repository: k.local.source.repository, commit: k.local.source.commit } };
}
