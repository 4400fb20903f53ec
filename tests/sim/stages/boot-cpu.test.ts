// What the kernel takes from the boot CPU (sim/stages/boot-cpu.ts), on the vCPUs QEMU 7.2 gives.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, type BootContext } from '../../../sim/boot.ts';
import {
  amdGartPresent, bootCpu, cacheLineSize, directGbPages, fpuKernelDefaultSize, kernelCpuRefusal, maxPhysmemBits, pgtableL5Enabled, requiredCpuFeatures,
} from '../../../sim/stages/boot-cpu.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 512 * 2 ** 20, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, cpu?: string): BootContext => bootContext({ spec: spec(kernel, { cpu }), kernel: entry(kernel) });

describe('bootCpu', () => {
  test('cpu_default_by_arch: expect qemu64 (AMD) on x86_64 and qemu32 (Intel) on i386', () => {
    expect(bootCpu(ctxOf('6.1-amd64'))).toMatchObject({ model: 'qemu64', vendor: 'AMD', family: 15, modelNumber: 107 });
    expect(bootCpu(ctxOf('6.1-686-pae'))).toMatchObject({ model: 'qemu32', vendor: 'Intel', family: 6 });
  });
});

describe('kernelCpuRefusal (arch/x86/boot/cpu.c validate_cpu)', () => {
  test.each([
    ['6.1-amd64', 'qemu32', 'requires an x86-64 CPU, but only detected an i686 CPU'],
    ['7.2-amd64', 'athlon', 'requires an x86-64 CPU, but only detected an i686 CPU'],
    ['6.1-686', '486', 'requires an i586 CPU, but only detected an i486 CPU'],
    ['6.1-686', 'pentium', 'not present on the CPU: cmov'],
    ['6.1-686-pae', 'pentium', 'requires an i686 CPU, but only detected an i586 CPU'],
    ['6.1-686-pae', 'pentium2,-pae', 'not present on the CPU: pae'],
    ['6.1-686-pae', 'n270', undefined],
    ['6.1-686-pae', 'Skylake-Client', undefined],
    ['6.1-amd64', 'qemu64,-sse2', 'not present on the CPU: sse2'],
    ['7.2-amd64', 'qemu64,-cmov', 'not present on the CPU: cmov'],
    ['6.12-amd64', 'max', undefined],
    ['5.10-amd64', 'Opteron_G4', 'XSAVE without XSAVEOPT'],
    ['6.1-amd64', 'qemu64,+xsave', 'XSAVE without XSAVEOPT'],
    ['6.1-amd64', 'qemu64,+xsave,+xsaveopt', undefined],
  ])('refusal_%s_%s', (kernel, cpu, msg) => {
    const r = kernelCpuRefusal({ cpu }, entry(kernel));
    if (msg === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(msg);
  });

  test('required_7_2_from_kconfig: expect the X86_REQUIRED_FEATURE_* list of the 7.2 build', () => {
    expect(requiredCpuFeatures(entry('7.2-amd64')).sort()).toEqual(['cmov', 'cx8', 'fpu', 'fxsr', 'lm', 'msr', 'pae', 'sse', 'sse2']);
  });
  test('required_6_1_from_required_features_h: PARAVIRT_XXL drops PSE/PGE on amd64; 686-pae needs PAE, CX8, CMOV', () => {
    expect(requiredCpuFeatures(entry('6.1-amd64')).sort()).toEqual(['cmov', 'cx8', 'fpu', 'fxsr', 'lm', 'msr', 'pae', 'sse', 'sse2']);
    expect(requiredCpuFeatures(entry('6.1-686-pae')).sort()).toEqual(['cmov', 'cx8', 'fpu', 'pae']);
  });
});

describe('paging', () => {
  test('l5_needs_build_and_cpu: expect 5-level only on a 5-level build with LA57', () => {
    expect(pgtableL5Enabled(ctxOf('6.12-amd64', 'qemu64,+la57'))).toBe(true);
    expect(pgtableL5Enabled(ctxOf('6.12-amd64', 'Icelake-Server'))).toBe(true);
    expect(pgtableL5Enabled(ctxOf('6.12-amd64', 'Skylake-Client'))).toBe(false);
    expect(pgtableL5Enabled(ctxOf('6.1-686-pae', 'Icelake-Server'))).toBe(false);
  });
  test('max_physmem_bits: expect 52/46 on x86_64, 36 with PAE, 32 without', () => {
    const t = (k: string) => ctxOf(k).traits;
    expect([maxPhysmemBits(t('6.12-amd64'), true), maxPhysmemBits(t('6.12-amd64'), false), maxPhysmemBits(t('6.1-686-pae'), false), maxPhysmemBits(t('6.1-686'), false)]).toEqual([52n, 46n, 36n, 32n]);
  });
  test('direct_gbpages: expect 1G pages with PDPE1GB (EPYC, max), not on qemu64 or Skylake-Client', () => {
    expect(directGbPages(ctxOf('6.1-amd64', 'EPYC'))).toBe(true);
    expect(directGbPages(ctxOf('6.1-amd64', 'max'))).toBe(true);
    expect(directGbPages(ctxOf('6.1-amd64'))).toBe(false);
    expect(directGbPages(ctxOf('6.1-amd64', 'Skylake-Client'))).toBe(false);
    expect(directGbPages(ctxOf('6.1-amd64', 'qemu64,+pdpe1gb'))).toBe(true);
  });
});

describe('amdGartPresent (asm/amd_nb.h)', () => {
  test.each([
    ['qemu64', true], ['phenom', true], ['Opteron_G1', true], ['Opteron_G4', true], ['Opteron_G5', true], ['max', true],
    ['EPYC', false], ['EPYC-Rome', false], ['Dhyana', false], ['Skylake-Client', false], ['kvm64', false],
  ])('gart_%s: expect %s', (cpu, want) => {
    expect(amdGartPresent(bootCpu(ctxOf('6.1-amd64', cpu)))).toBe(want);
  });
});

describe('cacheLineSize (cache_line_size at kmem_cache_init)', () => {
  test.each([
    ['6.1-amd64', undefined, 64],
    ['6.1-686-pae', undefined, 32],
    ['6.1-686-pae', 'qemu64', 64],
    ['6.1-686-pae', 'kvm32', 128], // X86_32 early_init_intel(): Netburst family 15 → 128
    ['6.1-amd64', 'kvm64', 64], // the X86_64 doubling is init_intel()'s, after SLUB
    ['6.1-amd64', 'qemu64,-clflush', 64], // ≤ 6.1: the X86_64 default stays
    ['6.12-amd64', 'qemu64,-clflush', 32], // 6.7+: get_cpu_address_sizes() "sane default"
    ['6.1-686-pae', 'pentium3', 32],
  ])('hwalign_%s_cpu_%s: expect %i', (kernel, cpu, bytes) => {
    expect(cacheLineSize(ctxOf(kernel, cpu)).bytes).toBe(bytes);
  });
  test('hwalign_why: expect the reason to name the CPU model and the rule', () => {
    expect(cacheLineSize(ctxOf('6.1-686-pae')).why).toMatch(/qemu32 lacks CLFLUSH: x86_clflush_size default 32/);
  });
});

describe('fpuKernelDefaultSize (xstate.c init_xstate_size)', () => {
  test.each([
    ['qemu64', 512], // no XSAVE: fxregs_state
    ['Skylake-Client', 832], // x87, SSE, AVX
    ['EPYC', 832],
    ['Skylake-Server', 2696], // AVX-512 components offered in XCR0 but AVX512F filtered by TCG; PKRU kept
    ['Denverton', 1088], // MPX without AVX: BNDCSR is the top
    ['max', 2696],
    ['max,-pku', 1088],
  ])('xstate_size_%s: expect %i', (cpu, bytes) => {
    expect(fpuKernelDefaultSize(ctxOf('6.12-amd64', cpu), 512).bytes).toBe(bytes);
  });
});
