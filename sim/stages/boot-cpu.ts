// models what the kernel takes from the boot CPU's CPUID (the vCPU of sim/firmware/qemu-7.2-cpu.ts):
// arch/x86/boot/cpucheck.c check_cpu() and cpu.c validate_cpu() (the setup code's refusal),
// arch/x86/kernel/cpu/common.c early_identify_cpu() / cpu_detect() / get_cpu_address_sizes() and
// intel.c early_init_intel() (x86_cache_alignment), the 5-level decision (pgtable_l5_enabled),
// asm/sparsemem.h MAX_PHYSMEM_BITS, asm/amd_nb.h amd_gart_present(), arch/x86/mm/init.c
// probe_page_size_mask() (1G direct-map pages) and arch/x86/kernel/fpu/xstate.c
// fpu__init_system_xstate() / init_xstate_size() (fpu_kernel_cfg.default_size).
// 5.10.223, 6.1.192, 6.12.115, 7.2.13. Each fact is defined here once and imported where used.
import type { BootContext } from '../boot.ts';
import type { KernelTraits } from '../traits.ts';
import { kernelConfig } from '../traits.ts';
import type { KernelEntry } from '../kernel-facts.ts';
import { guestCpu } from '../firmware/qemu-7.2.ts';
import type { EffectiveCpu } from '../firmware/qemu-7.2-cpu.ts';
import type { MachineSpec } from '../types.ts';

type KernelLike = Pick<KernelEntry, 'id' | 'arch' | 'release' | 'facts'>;

/** The vCPU the kernel boots on (QEMU 7.2, TCG). */
export function bootCpu(ctx: Pick<BootContext, 'spec' | 'traits'>): EffectiveCpu {
  return guestCpu(ctx.spec.cpu, ctx.traits.arch);
}

// ---------------------------------------------------------------------------------------------
// arch/x86/boot: the setup code refuses a CPU that lacks what the build requires

/**
 * REQUIRED_MASK0/1/4 of arch/x86/include/asm/required-features.h (≤ 6.12) and the
 * X86_REQUIRED_FEATURE_* options of arch/x86/Kconfig.cpufeatures (7.2), as QEMU feature names.
 * arch/x86/boot/cpucheck.c req_flags checks words 0, 1, 4 and 6 only ("REQUIRED_MASKn not
 * implemented in this file" for the others), so NOPL (word 3) is not checked there.
 */
export function requiredCpuFeatures(kernel: KernelLike): string[] {
  const on = (n: string): boolean => kernelConfig(kernel, n) === 'y';
  const x64 = kernel.arch === 'x86_64';
  if (on('X86_REQUIRED_FEATURE_ALWAYS')) {
    // 7.2: one option per feature (arch/x86/Kconfig.cpufeatures)
    const map: [string, string][] = [['FPU', 'fpu'], ['PAE', 'pae'], ['CX8', 'cx8'], ['CMOV', 'cmov'], ['PSE', 'pse'], ['PGE', 'pge'],
      ['MSR', 'msr'], ['FXSR', 'fxsr'], ['XMM', 'sse'], ['XMM2', 'sse2'], ['LM', 'lm'], ['MOVBE', 'movbe']];
    return map.filter(([k]) => on(`X86_REQUIRED_FEATURE_${k}`)).map(([, f]) => f);
  }
  const out: string[] = [];
  if (!on('MATH_EMULATION')) out.push('fpu'); // NEED_FPU
  if (on('X86_PAE') || x64) out.push('pae'); // NEED_PAE
  if (on('X86_CMPXCHG64')) out.push('cx8'); // NEED_CX8
  if (on('X86_CMOV') || x64) out.push('cmov'); // NEED_CMOV
  if (on('MATOM')) out.push('movbe'); // NEED_MOVBE
  if (x64) {
    if (!on('PARAVIRT_XXL')) out.push('pse', 'pge'); // "Paravirtualized systems may not have PSE or PGE available"
    out.push('msr', 'fxsr', 'sse', 'sse2', 'lm'); // NEED_MSR, NEED_FXSR, NEED_XMM, NEED_XMM2, NEED_LM
  }
  return out;
}

/** arch/x86/boot/cpu.c cpu_name(): "i386" … "i686", "x86-64" for level 64. */
function cpuName(level: number): string {
  return level === 64 ? 'x86-64' : `i${level}86`;
}

/**
 * What arch/x86/boot/cpu.c validate_cpu() prints when the kernel will not run on the CPU (it stops
 * before the first dmesg line), or undefined. cpu.level is CPUID.1's base family (cpuflags.c
 * get_cpuflags), 64 with LM; the build asks for CONFIG_X86_MINIMUM_CPU_FAMILY and the required flags.
 */
export function kernelCpuRefusal(spec: Pick<MachineSpec, 'cpu'>, kernel: KernelLike): string | undefined {
  const cpu = guestCpu(spec.cpu, kernel.arch);
  const min = Number(kernelConfig(kernel, 'X86_MINIMUM_CPU_FAMILY') ?? (kernel.arch === 'x86_64' ? 64 : 3));
  const baseFamily = cpu.family >= 15 ? 15 : cpu.family;
  const level = cpu.has('lm') ? 64 : baseFamily;
  if (level < min) {
    return `cpu: ${cpu.model}: kernel ${kernel.id} stops in its setup code: "This kernel requires an ${cpuName(min)} CPU, but only detected an ${cpuName(level)} CPU." (arch/x86/boot/cpu.c validate_cpu)`;
  }
  const missing = requiredCpuFeatures(kernel).filter((f) => !cpu.has(f));
  if (missing.length > 0) {
    return `cpu: ${cpu.model}: kernel ${kernel.id} stops in its setup code: "This kernel requires the following features not present on the CPU: ${missing.join(' ')}" (arch/x86/boot/cpu.c validate_cpu; QEMU names)`;
  }
  // Observed, not traced to a source line: under QEMU 7.2 TCG a vCPU offering XSAVE without
  // XSAVEOPT never gets past fpu__init_system_xstate() (no "x86/fpu: Supporting XSAVE feature"
  // line; the boot hangs until the capture's timeout): 5.10 on Opteron_G4, 6.1 on qemu64,+xsave and
  // qemu64,+xsave,+avx; the same with +xsaveopt, and every model with XSAVEOPT, boots. Refused on
  // every kernel rather than simulated as a boot that prints on.
  if (cpu.has('xsave') && !cpu.has('xsaveopt')) {
    return `cpu: ${cpu.model}: XSAVE without XSAVEOPT: the guest hangs in fpu__init_system_xstate() under QEMU 7.2 TCG (observed on 5.10 and 6.1, boots with +xsaveopt); such a boot is not modelled`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// What the stages read

/**
 * pgtable_l5_enabled(): the build can run 5-level paging (traits.fiveLevel) and the CPU has LA57
 * (arch/x86/boot/compressed/pgtable_64.c, arch/x86/kernel/head64.c check_la57_support).
 */
export function pgtableL5Enabled(ctx: Pick<BootContext, 'spec' | 'traits'>): boolean {
  return ctx.traits.arch === 'x86_64' && ctx.traits.fiveLevel && bootCpu(ctx).has('la57');
}

/**
 * MAX_PHYSMEM_BITS (arch/x86/include/asm/sparsemem.h): pgtable_l5_enabled() ? 52 : 46 on X86_64;
 * 36 with X86_PAE, else 32.
 */
export function maxPhysmemBits(traits: KernelTraits, l5: boolean): bigint {
  if (traits.arch === 'x86_64') return l5 ? 52n : 46n;
  return traits.pae ? 36n : 32n;
}

/** arch/x86/include/asm/amd_nb.h (7.2: asm/amd/nb.h) amd_gart_present(): AMD family 0xf, 0x10, or 0x15 below model 0x10. */
export function amdGartPresent(cpu: Pick<EffectiveCpu, 'vendor' | 'family' | 'modelNumber'>): boolean {
  if (cpu.vendor !== 'AMD') return false;
  return cpu.family === 0xf || cpu.family === 0x10 || (cpu.family === 0x15 && cpu.modelNumber < 0x10);
}

/**
 * cache_line_size() = boot_cpu_data.x86_cache_alignment when SLUB starts, i.e. after
 * early_identify_cpu() only (init_intel() runs later, from identify_boot_cpu()):
 * - early_identify_cpu(): x86_clflush_size = 64 (X86_64) / 32 (X86_32); cpu_detect(): CPUID.1:EBX[15:8] * 8
 *   when CPUID.1:EDX.CLFSH (QEMU: 8, target/i386/cpu.c cpu_x86_cpuid → 64);
 * - traits.clflushFromAddressSizes: get_cpu_address_sizes() resets it to that default without
 *   CPUID 0x80000008, or to 32 when CLFSH gave none; x86_cache_alignment = x86_clflush_size;
 * - early_init_intel() on X86_32: family 15 with 64 → 128 ("Netburst … does IO in 128 bytes").
 */
export function cacheLineSize(ctx: Pick<BootContext, 'spec' | 'traits'>): { bytes: number; why: string } {
  const t = ctx.traits;
  const cpu = bootCpu(ctx);
  const dflt = t.arch === 'x86_64' ? 64 : 32;
  let size = cpu.has('clflush') ? 64 : dflt;
  let why = cpu.has('clflush') ? `${cpu.model} has CLFLUSH: CPUID.1:EBX[15:8] = 8 → 64 (cpu_detect)` : `${cpu.model} lacks CLFLUSH: x86_clflush_size default ${dflt} (early_identify_cpu)`;
  if (t.clflushFromAddressSizes) {
    if (cpu.xlevel < 0x80000008) { size = dflt; why = `no CPUID 0x80000008 (xlevel 0x${cpu.xlevel.toString(16)}): get_cpu_address_sizes() default ${dflt}`; }
    else if (!cpu.has('clflush')) { size = 32; why = `${cpu.model} lacks CLFLUSH: get_cpu_address_sizes() "sane default" 32`; }
  }
  if (t.arch === 'i386' && cpu.vendor === 'Intel' && cpu.family === 15 && size === 64) {
    size = 128;
    why += '; arch/x86/kernel/cpu/intel.c early_init_intel(): X86_32 family 15 → 128';
  }
  return { bytes: size, why };
}

/**
 * arch/x86/mm/init.c probe_page_size_mask(): 1G direct-map pages when direct_gbpages
 * (CONFIG_X86_DIRECT_GBPAGES, X86_64 only) and boot_cpu_has(X86_FEATURE_GBPAGES) (CPUID PDPE1GB).
 */
export function directGbPages(ctx: Pick<BootContext, 'spec' | 'traits' | 'kernel'>): boolean {
  return ctx.traits.arch === 'x86_64' && kernelConfig(ctx.kernel, 'X86_DIRECT_GBPAGES') === 'y' && bootCpu(ctx).has('pdpe1gb');
}

/**
 * The non-compacted XSAVE layout QEMU's TCG reports in CPUID.(0xD, i): offset and size of each
 * component (target/i386/tcg/tcg-cpu.h XSAVE_*_OFFSET, cpu.h sizeof(XSave*)): YMM 0x240+0x100,
 * BNDREGS 0x3c0+0x40, BNDCSR 0x400+0x40, OPMASK 0x440+0x40, ZMM_Hi256 0x480+0x200,
 * Hi16_ZMM 0x680+0x400, PKRU 0xa80+0x8.
 */
const XSTATE_LAYOUT: Readonly<Record<number, { offset: number; size: number; feature: string }>> = {
  2: { offset: 0x240, size: 0x100, feature: 'avx' },
  3: { offset: 0x3c0, size: 0x40, feature: 'mpx' },
  4: { offset: 0x400, size: 0x40, feature: 'mpx' },
  5: { offset: 0x440, size: 0x40, feature: 'avx512f' },
  6: { offset: 0x480, size: 0x200, feature: 'avx512f' },
  7: { offset: 0x680, size: 0x400, feature: 'avx512f' },
  9: { offset: 0xa80, size: 0x8, feature: 'pku' },
};

/** sizeof(struct xregs_state): the 512-byte legacy area and the 64-byte header (arch/x86/include/asm/fpu/types.h). */
const XSAVE_LEGACY_AND_HEADER = 576;

/**
 * fpu_kernel_cfg.default_size at fork_init() (6.12, 7.2; fpu__init_system() runs from
 * arch_cpu_finalize_init(), after identify_boot_cpu()'s setup_pku()):
 * - no XSAVE: sizeof(struct fxregs_state), `fxregsBytes` ("x87 FPU will use FXSAVE");
 * - XSAVE: max_features = CPUID.(0xD,0) XCR0 components, less each whose xsave_cpuid_features[] bit
 *   the CPU lacks (YMM: AVX; BNDREGS/BNDCSR: MPX; OPMASK/ZMM: AVX512F; PKRU: OSPKE, which setup_pku()
 *   forces when PKU and CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS), & XFEATURE_MASK_USER_SUPPORTED
 *   (no XSAVES under TCG: TCG_XSAVE_FEATURES lacks it), less XTILE_DATA without XFD;
 *   xstate_calculate_size(default_features, compacted = false): 576 up to SSE, else the topmost
 *   component's offset + size.
 */
export function fpuKernelDefaultSize(ctx: Pick<BootContext, 'spec' | 'traits' | 'kernel'>, fxregsBytes: number): { bytes: number; why: string } {
  const cpu = bootCpu(ctx);
  if (!cpu.has('xsave')) return { bytes: fxregsBytes, why: `${cpu.model} has no XSAVE: sizeof(struct fxregs_state)` };
  const pkeys = kernelConfig(ctx.kernel, 'X86_INTEL_MEMORY_PROTECTION_KEYS') === 'y';
  let top = 1;
  const kept: string[] = ['x87', 'SSE'];
  for (let bit = 2; bit < 64; bit++) {
    if (((cpu.xcr0 >> BigInt(bit)) & 1n) === 0n) continue;
    const c = XSTATE_LAYOUT[bit];
    if (!c) continue; // not in XFEATURE_MASK_USER_SUPPORTED, or XTILE (no AMX under TCG)
    if (!cpu.has(c.feature) || (bit === 9 && !pkeys)) continue;
    top = bit;
    kept.push(`${bit}`);
  }
  const c = XSTATE_LAYOUT[top];
  const bytes = c ? c.offset + c.size : XSAVE_LEGACY_AND_HEADER;
  return { bytes, why: `${cpu.model}: XCR0 0x${cpu.xcr0.toString(16)}, kept components ${kept.join(',')} → topmost ${top}: ${bytes} bytes (arch/x86/kernel/fpu/xstate.c xstate_calculate_size, standard format)` };
}
