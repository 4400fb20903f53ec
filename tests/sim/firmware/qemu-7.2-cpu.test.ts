// The QEMU 7.2 CPU model table and the effective CPUID under TCG, against what the real QEMU says:
// the fixtures tests/fixtures/qemu/cpu-help-<target>.txt and cpu-models-<target>.json were captured
// from qemu-system-x86_64/-i386 7.2 by qemu-scripts/cpu-models/capture-fixture.ts (QMP qom-get on
// a realized -S vCPU). tests/live/qemu-cpu.live.test.ts re-checks them against the installed QEMU.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuModelNames, effectiveCpu, isCpuFeatureName, type QemuTarget } from '../../../sim/firmware/qemu-7.2-cpu.ts';
import { QEMU_7_2_CPU_TABLE } from '../../../sim/firmware/qemu-7.2-cpu-models.ts';
import { flagsOfCpuHelp, modelsOfCpuHelp, type QmpCpuReport } from '../../../qemu-scripts/cpu-models/capture-fixture.ts';

const fixture = (f: string): string => readFileSync(new URL(`../../fixtures/qemu/${f}`, import.meta.url), 'utf8');
const TARGETS: QemuTarget[] = ['x86_64', 'i386'];

describe.each(TARGETS)('qemu-system-%s -cpu help', (target) => {
  const help = fixture(`cpu-help-${target}.txt`);
  const listed = modelsOfCpuHelp(help);

  it('names_every_listed_model: each model -cpu help lists but host is a name the table resolves', () => {
    expect(listed.length).toBeGreaterThan(100);
    const ours = new Set(cpuModelNames());
    expect(listed.filter((n) => n !== 'host' && !ours.has(n))).toEqual([]);
  });

  it('lists_no_extra_model: the table names no model -cpu help leaves out', () => {
    const theirs = new Set(listed);
    expect(cpuModelNames().filter((n) => !theirs.has(n))).toEqual([]);
  });

  it('knows_every_recognized_flag: each "Recognized CPUID flags" name is a feature property', () => {
    const flags = flagsOfCpuHelp(help);
    expect(flags.length).toBeGreaterThan(200);
    expect(flags.filter((f) => !isCpuFeatureName(f))).toEqual([]);
  });
});

/** Our words keyed as QMP's feature-words reports them (leaf, subleaf, register). */
function ourWords(target: QemuTarget, name: string): Map<string, number> {
  const cpu = effectiveCpu(name, target);
  const out = new Map<string, number>();
  for (const [w, info] of Object.entries(QEMU_7_2_CPU_TABLE.words)) {
    if (!info.cpuid) continue;
    const key = `${info.cpuid.eax.toString(16)}.${info.cpuid.ecx}.${info.cpuid.reg}`;
    let v: bigint;
    if (w === 'FEAT_XSAVE_XCR0_LO') v = cpu.xcr0 & 0xffffffffn;
    else if (w === 'FEAT_XSAVE_XCR0_HI') v = cpu.xcr0 >> 32n;
    else v = cpu.words.get(w) ?? 0n;
    out.set(key, Number(v));
  }
  return out;
}

describe.each(TARGETS)('effective CPUID under TCG on qemu-system-%s', (target) => {
  const reports = JSON.parse(fixture(`cpu-models-${target}.json`)) as QmpCpuReport[];

  it.each(reports.map((r) => [r.name, r] as const))('effective_cpuid_%s: features, vendor, family/model/stepping, phys-bits and xlevel as the realized vCPU reports them', (name, r) => {
    const cpu = effectiveCpu(name, target);
    const ours = ourWords(target, name);
    const theirs = new Map<string, number>();
    // FEAT_XSAVE_XSS words are not modelled (supervisor states; TCG has no XSAVES)
    for (const w of r.featureWords) if (!(w.eax === 0xd && w.ecx === 1 && (w.reg === 'ECX' || w.reg === 'EDX'))) theirs.set(`${w.eax.toString(16)}.${w.ecx}.${w.reg}`, w.features);
    for (const k of ours.keys()) if (k === 'd.1.ECX' || k === 'd.1.EDX') ours.delete(k);
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
    expect({ vendor: cpu.vendorString, family: cpu.family, model: cpu.modelNumber, stepping: cpu.stepping, physBits: cpu.physBits, modelId: cpu.modelId, xlevel: cpu.xlevel })
      .toEqual({ vendor: r.vendor, family: r.family, model: r.model, stepping: r.stepping, physBits: r.physBits, modelId: r.modelId, xlevel: r.xlevel });
  });
});

describe('+flag/-flag', () => {
  it('plus_flag_tcg_supported: qemu64,+la57 on x86_64 sets LA57 (TCG_7_0_ECX_FEATURES has it)', () => {
    expect(effectiveCpu('qemu64,+la57', 'x86_64').has('la57')).toBe(true);
    expect(effectiveCpu('qemu64', 'x86_64').has('la57')).toBe(false);
  });
  it('plus_flag_filtered: +x2apic is dropped by the TCG mask and reported as filtered', () => {
    const cpu = effectiveCpu('qemu64,+x2apic', 'x86_64');
    expect(cpu.has('x2apic')).toBe(false);
    expect(cpu.filtered.get('FEAT_1_ECX')).toBeGreaterThan(0n);
  });
  it('minus_flag_alias: -xd (alias of nx) clears NX', () => {
    expect(effectiveCpu('qemu64', 'x86_64').has('nx')).toBe(true);
    expect(effectiveCpu('qemu64,-xd', 'x86_64').has('nx')).toBe(false);
  });
  it('minus_after_plus: -flag wins over +flag, as x86_cpu_expand_features applies minus_features last', () => {
    expect(effectiveCpu('qemu64,-la57,+la57', 'x86_64').has('la57')).toBe(false);
  });
  it('max_respects_user_minus: max,-la57 keeps LA57 off', () => {
    expect(effectiveCpu('max', 'x86_64').has('la57')).toBe(true);
    expect(effectiveCpu('max,-la57', 'x86_64').has('la57')).toBe(false);
  });
  it('i386_drops_lm: a long-mode model under qemu-system-i386 has no LM and 36 phys bits with PSE36', () => {
    const cpu = effectiveCpu('Skylake-Client', 'i386');
    expect(cpu.has('lm')).toBe(false);
    expect(cpu.physBits).toBe(36);
  });
  it.each([['nosuch', 'is not a CPU model'], ['qemu64,+nosuchflag', 'is not a CPUID feature'], ['qemu64,la57=on', 'key=value is not modelled'], ['host', 'needs KVM']])(
    'refused_%s: a coded error naming it', (spec, msg) => {
      expect(() => effectiveCpu(spec, 'x86_64')).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED', message: expect.stringContaining(msg) }));
    });
});
