// Every CPU model `qemu-system-x86_64 -cpu help` and `qemu-system-i386 -cpu help` list (the stored
// fixtures of qemu-scripts/cpu-models/capture-fixture.ts) loads as a profile's `cpu:` and simulates,
// or is refused with a coded reason naming a real limit: "host" needs KVM; a kernel that stops on
// the CPU in its setup code (arch/x86/boot/cpu.c validate_cpu) says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../harness/profile/load.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { modelsOfCpuHelp } from '../../../qemu-scripts/cpu-models/capture-fixture.ts';

const fixture = (f: string): string => readFileSync(new URL(`../../fixtures/qemu/${f}`, import.meta.url), 'utf8');

type Loaded = { ok: true; lines: number } | { ok: false; code: string; message: string };
/** Each (kernel, model) is loaded and simulated once: the per-model tests and the refused-set test read the same result. */
const loaded = new Map<string, Loaded>();

/** The loaded spec, or the error's code and message. */
function load(kernel: string, cpu: string): Loaded {
  const key = `${kernel} ${cpu}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const r = loadOnce(kernel, cpu);
  loaded.set(key, r);
  return r;
}

function loadOnce(kernel: string, cpu: string): Loaded {
  const src = `kernel: ${kernel}\nmachine: pc\nmemory: 1G\ncpus: 2\ncpu: "${cpu}"\n`;
  try {
    const spec = parseProfile(src, 'cpu/profile.yaml');
    return { ok: true, lines: simulate({ spec, kernel: loadKernelWithFacts(kernel) }).lines.length };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { ok: false, code: err.code ?? 'uncoded', message: err.message ?? String(e) };
  }
}

describe.each([
  ['x86_64', '6.1-amd64'],
  ['i386', '6.1-686-pae'],
] as const)('qemu-system-%s models on %s', (target, kernel) => {
  const models = modelsOfCpuHelp(fixture(`cpu-help-${target}.txt`));

  it.each(models.map((m) => [m]))('loads_or_names_the_limit_%s', (model) => {
    const r = load(kernel, model);
    if (r.ok) {
      expect(r.lines).toBeGreaterThan(30);
      return;
    }
    expect(r.code).not.toBe('uncoded');
    if (model === 'host') expect(r.message).toContain('needs KVM');
    else expect(r.message).toMatch(/stops in its setup code: "This kernel requires|XSAVE without XSAVEOPT: the guest hangs/);
  });

  it('refuses_what_the_kernel_refuses: host, base, XSAVE without XSAVEOPT (Opteron_G4/G5), and on x86_64 the models without LM; on 686-pae those without PAE or i686', () => {
    const refused = models.filter((m) => !load(kernel, m).ok).filter((m) => !/-v\d+$/.test(m));
    expect(refused.sort()).toEqual(target === 'x86_64'
      ? ['486', 'Opteron_G4', 'Opteron_G5', 'athlon', 'base', 'coreduo', 'host', 'kvm32', 'n270', 'pentium', 'pentium2', 'pentium3', 'qemu32']
      : ['486', 'Opteron_G4', 'Opteron_G5', 'base', 'host', 'pentium']);
  });
});
