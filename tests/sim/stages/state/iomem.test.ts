import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../../sim/boot.ts';
import { flattenIomem, iomemResources, iomemTree, insertResource, kernelPhysBits, reserveRegionWithSplit, type Resource } from '../../../../sim/stages/state/iomem.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const node = (start: number, end: number, name: string, busy = false): Resource => ({ start: BigInt(start), end: BigInt(end), name, busy, why: 'test', children: [] });
const shape = (root: Resource): string[] => flattenIomem(root).map(({ r, depth }) => `${'  '.repeat(depth)}${r.start.toString(16)}-${r.end.toString(16)} ${r.name}`);
const lines = (c: BootContext): Map<string, string> => new Map(iomemResources(simulate(c).state, c).map((f) => [f.key, f.value]));

describe('kernel/resource.c port', () => {
  test('insert_nesting', () => {
    // expect: a later resource of the same range becomes the parent; one that holds a run of siblings adopts them;
    // one inside a resource goes under it; a partial overlap is refused with the conflict
    const root = node(0, 0xffff, 'root');
    expect(insertResource(root, node(0x100, 0x1ff, 'a'))).toBeUndefined();
    expect(insertResource(root, node(0x300, 0x3ff, 'b'))).toBeUndefined();
    expect(insertResource(root, node(0x100, 0x1ff, 'same'))).toBeUndefined();
    expect(insertResource(root, node(0x0, 0x3ff, 'big'))).toBeUndefined();
    expect(insertResource(root, node(0x380, 0x38f, 'in-b'))).toBeUndefined();
    expect(insertResource(root, node(0x3f0, 0x40f, 'partial'))?.name).toBe('big');
    expect(shape(root)).toEqual(['0-3ff big', '  100-1ff same', '    100-1ff a', '  300-3ff b', '    380-38f in-b']);
  });
  test('split_around_children', () => {
    // expect: reserve_region_with_split() fills only the gaps between top-level resources; a covered range adds nothing
    const root = node(0, 0xffff, 'root');
    insertResource(root, node(0x200, 0x2ff, 'x'));
    reserveRegionWithSplit(root, 0x100n, 0x3ffn, 'buf', 'test');
    reserveRegionWithSplit(root, 0x210n, 0x220n, 'covered', 'test');
    expect(shape(root)).toEqual(['100-1ff buf', '200-2ff x', '300-3ff buf']);
  });
});

describe('predicted /proc/iomem', () => {
  test('pc_6_1', () => {
    // expect: the pc windows and BARs, ROMs, IOAPIC, HPET over PNP0103:00, Local APIC on 6.1; no "Video RAM area" on x86_64
    const l = lines(ctx({}));
    expect(l.get('20000000-febfffff : PCI Bus 0000:00')).toBe('depth 0');
    expect(l.get('000a0000-000bffff : PCI Bus 0000:00')).toBe('depth 0');
    expect(l.get('100000000-17fffffff : PCI Bus 0000:00')).toBe('depth 0');
    expect(l.get('fd000000-fdffffff : 0000:00:02.0')).toBe('depth 1');
    expect(l.get('feb80000-febbffff : 0000:00:03.0')).toBe('depth 1');
    expect([...l.keys()].some((k) => k.startsWith('febe0000'))).toBe(false); // the boot VGA's ROM BAR is the shadow copy's
    expect(l.get('000f0000-000fffff : Reserved')).toBe('depth 0');
    expect(l.get('000f0000-000fffff : System ROM')).toBe('depth 1');
    expect(l.get('000cb000-000cb5ff : Adapter ROM')).toBe('depth 0');
    expect(l.get('fed00000-fed003ff : HPET 0')).toBe('depth 0');
    expect(l.get('fed00000-fed003ff : PNP0103:00')).toBe('depth 1');
    expect(l.get('fec00000-fec003ff : IOAPIC 0')).toBe('depth 0');
    expect(l.get('fee00000-fee00fff : Local APIC')).toBe('depth 0');
    expect(l.has('000a0000-000bffff : Video RAM area')).toBe(false);
  });
  test('q35_versions', () => {
    // expect: MCFG over its e820 entry over the motherboard reservation: 6.1 "PCI MMCONFIG" and "pnp 00:05" (five pnp
    // devices before DRAC), 7.2 "PCI ECAM" and PNP0C01:00 at depth 2; no Local APIC on 7.2 (fixmap address)
    const q61 = lines(ctx({ machine: 'q35', memoryBytes: 1024 * M, memoryText: '1G' }));
    expect(q61.get('b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]')).toBe('depth 0');
    expect(q61.get('b0000000-bfffffff : Reserved')).toBe('depth 1');
    expect(q61.get('b0000000-bfffffff : pnp 00:05')).toBe('depth 2');
    expect(q61.get('40000000-afffffff : PCI Bus 0000:00')).toBe('depth 0');
    const q72 = lines(ctx({ kernel: '7.2-amd64', machine: 'q35', memoryBytes: 1024 * M, memoryText: '1G' }));
    expect(q72.get('b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]')).toBe('depth 0');
    expect(q72.get('b0000000-bfffffff : PNP0C01:00')).toBe('depth 2');
    expect([...q72.keys()].some((k) => k.endsWith(': Local APIC'))).toBe(false);
    expect(q72.get('febd5000-febd5fff : 0000:00:1f.2')).toBe('depth 1');
  });
  test('i386', () => {
    // expect: 32-bit: "Video RAM area" under the legacy window; without PAE no window above 4G (32-bit resource_size_t)
    const pae = ctx({ kernel: '6.1-686-pae', memoryBytes: 1024 * M, memoryText: '1G' });
    const l = lines(pae);
    expect(l.get('000a0000-000bffff : Video RAM area')).toBe('depth 1');
    expect(l.get('100000000-17fffffff : PCI Bus 0000:00')).toBe('depth 0');
    expect(kernelPhysBits(pae)).toBe(36);
    const np = lines(ctx({ kernel: '6.1-686', memoryBytes: 1024 * M, memoryText: '1G' }));
    expect([...np.keys()].some((k) => k.startsWith('100000000-'))).toBe(false);
  });
  test('acpi_off', () => {
    // expect: acpi=off: no _CRS windows, HPET or MCFG; the root bus takes iomem_resource as its default resource, so each BAR is
    // claimed at depth 0; the MMCONFIG area stays as the e820 "Reserved" SeaBIOS made it; the ROMs, IOAPIC and Local APIC stay
    const c = ctx({ machine: 'q35', memoryBytes: 1024 * M, memoryText: '1G', cmdline: 'acpi=off' });
    const names = flattenIomem(iomemTree(simulate(c).state, c)).map(({ r }) => r.name);
    expect(names.filter((n) => /PCI|HPET|PNP|pnp/.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Video ROM', 'Adapter ROM', 'IOAPIC 0', 'Local APIC', 'System ROM']));
    const l = lines(c);
    expect(l.get('b0000000-bfffffff : Reserved')).toBe('depth 0');
    expect(l.get('fd000000-fdffffff : 0000:00:01.0')).toBe('depth 0');
    expect(l.get('febd5000-febd5fff : 0000:00:1f.2')).toBe('depth 0');
    // expect: the same BARs as with ACPI, one level up (pc: the VGA framebuffer and the NIC's ROM, no boot VGA ROM BAR)
    const pc = lines(ctx({ cmdline: 'acpi=off' }));
    const withAcpi = lines(ctx({}));
    const bars = (m: Map<string, string>): string[] => [...m.keys()].filter((k) => / : 0000:/.test(k)).sort();
    expect(bars(pc)).toEqual(bars(withAcpi));
    expect(bars(pc).map((k) => pc.get(k))).toEqual(bars(pc).map(() => 'depth 0'));
    expect(pc.get('fd000000-fdffffff : 0000:00:02.0')).toBe('depth 0');
  });
  test('noapic', () => {
    // expect: noapic leaves the MP table's IOAPIC registered, but enable_IO_APIC() zeroes nr_ioapics before
    // ioapic_insert_resources(): no "IOAPIC 0", with ACPI or without, on 6.1 and 6.12; the Local APIC stays (6.1)
    for (const kernel of ['6.1-amd64', '6.12-amd64']) {
      for (const cmdline of ['noapic', 'noapic acpi=off']) {
        const l = lines(ctx({ kernel, cmdline }));
        expect(l.has('fec00000-fec003ff : IOAPIC 0'), `${kernel} ${cmdline}`).toBe(false);
      }
      expect(lines(ctx({ kernel })).get('fec00000-fec003ff : IOAPIC 0'), kernel).toBe('depth 0');
    }
    expect(lines(ctx({ cmdline: 'noapic' })).get('fee00000-fee00fff : Local APIC')).toBe('depth 0');
  });
  test('crash_kernel', () => {
    // expect: crashkernel=128M on q35 2G: RAM below 4G ends at 0x7ffdf000 (SeaBIOS's top reservation), the top-down 16M-aligned
    // 128M below it starts at 0x77000000; "Crash kernel" busy under that System RAM entry (insert_resource), at depth 1
    for (const kernel of ['6.1-amd64', '6.12-amd64']) {
      const l = lines(ctx({ kernel, machine: 'q35', memoryBytes: 2048 * M, memoryText: '2G', cmdline: 'crashkernel=128M' }));
      expect(l.get('77000000-7effffff : Crash kernel'), kernel).toBe('depth 1');
      expect(l.get('00100000-7ffdefff : System RAM'), kernel).toBe('depth 0');
    }
    // expect: none without the parameter
    expect([...lines(ctx({})).keys()].some((k) => k.endsWith(': Crash kernel'))).toBe(false);
    // expect 7.2 crashkernel=256M,high on pc 5G: the high region and its default low part, each "Crash kernel" under its
    // System RAM entry, at the [start, end) the reservation's two lines print
    const c = ctx({ kernel: '7.2-amd64', memoryBytes: 5 * 1024 * M, memoryText: '5G', cmdline: 'crashkernel=256M,high' });
    const printed = simulate(c).lines.map((x) => /^crashkernel (?:low memory )?reserved: 0x([0-9a-f]+) - 0x([0-9a-f]+)/.exec(x.text)).filter((m) => m !== null);
    expect(printed).toHaveLength(2);
    const l = lines(c);
    for (const m of printed) {
      const key = `${BigInt(`0x${m[1]}`).toString(16).padStart(8, '0')}-${(BigInt(`0x${m[2]}`) - 1n).toString(16).padStart(8, '0')} : Crash kernel`;
      expect(l.get(key), key).toBe('depth 1');
    }
  });
});
