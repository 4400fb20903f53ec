// mm/hugetlb.c's parameters before Memory:: only a gigantic (1G) hstate would take memblock pages.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, type BootContext } from '../../../sim/boot.ts';
import { hugetlbRefusal } from '../../../sim/stages/hugetlb.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 2 ** 30, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, cmdline: string): BootContext => bootContext({ spec: spec(kernel, { cmdline }), kernel: entry(kernel) });

describe('hugetlb parameters', () => {
  test.each(['hugepages=64', 'hugepagesz=2M hugepages=128', 'default_hugepagesz=2M hugepages=8', 'hugepagesz=4M hugepages=2'])('pmd_or_invalid %s: expect no refusal', (cl) => {
    expect(hugetlbRefusal(ctxOf('6.1-amd64', cl))).toBeUndefined();
  });

  test.each(['hugepagesz=1G hugepages=1', 'default_hugepagesz=1G'])('gigantic %s: expect a refusal naming it', (cl) => {
    expect(hugetlbRefusal(ctxOf('6.12-amd64', cl))).toMatch(/^(default_)?hugepagesz=1G: a gigantic \(1G\) hstate/);
  });

  test('no_line_changes: expect the 6.1 boot with hugepages=64 to print what the plain boot prints but the command line', () => {
    const plain = simulate(ctxOf('6.1-amd64', 'foo')).lines.map((l) => l.text.replace(' foo', ''));
    const huge = simulate(ctxOf('6.1-amd64', 'hugepages=64')).lines.map((l) => l.text.replace(' hugepages=64', ''));
    // the plain boot hands "foo" to init: its Unknown line names it; drop that line on both sides
    const drop = (ls: string[]) => ls.filter((t) => !t.startsWith('Unknown kernel command line'));
    expect(drop(huge)).toEqual(drop(plain));
  });
});
