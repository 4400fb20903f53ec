// Catalog parsers on real lines: every family, on every series and arch that printed it.
import { describe, expect, test } from 'vitest';
import {
  families,
  familiesMatchingAnywhere,
  familyById,
  fieldPath,
  formatFieldValue,
  kernelKeyOfId,
  parseCatalogLine,
  type Field,
} from '../../../harness/catalog/index.ts';
import { samples } from './samples.ts';

const line = (text: string) => ({ lineNo: 1, ts: 0, text });

/** The fields of a parsed line as `path → printed value`, e.g. `zones.range[DMA32].end → 0x1ffdffff`. */
function fieldsOf(kernel: string, text: string): Record<string, string> {
  const c = parseCatalogLine(line(text), kernelKeyOfId(kernel));
  if (!c) throw new Error(`not a catalog line on ${kernel}: ${text}`);
  return Object.fromEntries(c.fields.filter((f) => !f.key).map((f) => [fieldPath(c.family, c.key, f.name), formatFieldValue(f.kind, f.value)]));
}

// Each value the parser returns must be visible in the text as printed.
function appearsIn(text: string, f: Field): boolean {
  const t = text.toLowerCase();
  if (typeof f.value === 'string') return text.includes(f.value.trim());
  if (typeof f.value === 'bigint') return new RegExp(`(?:0x)?0*${f.value.toString(16)}(?![0-9a-f])`).test(t);
  return new RegExp(`(?<![0-9])${f.value}(?![0-9])`).test(t);
}

describe('every family parses its real lines', () => {
  test.each(samples)('%s on %s (%s): %j', (family, kernel, _profile, text) => {
    const c = parseCatalogLine(line(text), kernelKeyOfId(kernel));
    expect(c?.family).toBe(family);
    for (const f of c!.fields) expect(appearsIn(text, f), `${f.name}=${String(f.value)}`).toBe(true);
    const spec = familyById(family)!;
    const required = spec.fields.filter((s) => !s.optional).map((s) => s.name ?? s.group);
    expect(c!.fields.map((f) => f.name)).toEqual(expect.arrayContaining(required));
  });

  test('samples_cover_every_family: expect each family to have at least one real line', () => {
    const seen = new Set(samples.map((s) => s[0]));
    expect(families.map((f) => f.id).filter((id) => !seen.has(id))).toEqual([]);
  });

  test.each(samples)('unambiguous: %s on %s (%s): %j matches one family only', (family, _kernel, _profile, text) => {
    expect(familiesMatchingAnywhere(text).map((f) => f.id)).toEqual([family]);
  });
});

// Hand-checked fields, one or more lines per family, read off the real logs.
const expected: readonly (readonly [kernel: string, text: string, fields: Record<string, string>])[] = [
  ['6.1-amd64', 'BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable', { 'e820.entry.start': '0x100000', 'e820.entry.end': '0x1ffdffff', 'e820.entry.type': 'usable' }],
  ['7.2-amd64', 'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff]  device reserved', { 'e820.entry.start': '0x9fc00', 'e820.entry.end': '0x9ffff', 'e820.entry.type': 'device reserved' }],
  ['7.2-amd64', 'BIOS-e820: [gap 0x0000000280000000-0x000000fcffffffff]', { 'e820.gap.start': '0x280000000', 'e820.gap.end': '0xfcffffffff' }],
  ['6.1-amd64', 'e820: remove [mem 0x18000000-0xfffffffffffffffe] usable', { 'e820.remove.start': '0x18000000', 'e820.remove.end': '0xfffffffffffffffe', 'e820.remove.type': 'usable' }],
  ['7.2-amd64', 'e820: update [mem 0x00000000-0x00000fff] System RAM ==> device reserved', { 'e820.update.start': '0x0', 'e820.update.end': '0xfff', 'e820.update.from': 'System RAM', 'e820.update.to': 'device reserved' }],
  ['6.1-amd64', 'user: [mem 0x0000000008000000-0x0000000009ffffff] reserved', { 'e820.user.start': '0x8000000', 'e820.user.end': '0x9ffffff', 'e820.user.type': 'reserved' }],
  ['5.10-amd64', 'last_pfn = 0x140000 max_arch_pfn = 0x400000000', { 'last_pfn.last_pfn': '0x140000', 'last_pfn.max_arch_pfn': '0x400000000' }],
  ['6.1-686', 'last_pfn = 0x3ffe0 max_arch_pfn = 0x100000', { 'last_pfn.last_pfn': '0x3ffe0', 'last_pfn.max_arch_pfn': '0x100000' }],
  ['6.1-amd64', 'ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]', { 'numa.srat[1].pxm': '1', 'numa.srat[1].start': '0x100000000', 'numa.srat[1].end': '0x13fffffff', 'numa.srat[1].flags': '' }],
  ['6.1-amd64', 'SRAT: PXM 1 -> APIC 0x03 -> Node 1', { 'numa.srat_cpu.pxm': '1', 'numa.srat_cpu.apic': '0x3', 'numa.srat_cpu.node': '1' }],
  [
    '6.12-amd64',
    'NUMA: Node 0 [mem 0x00001000-0x0009ffff] + [mem 0x00100000-0x3fffffff] -> [mem 0x00001000-0x3fffffff]',
    {
      'numa.merge[0].a_start': '0x1000',
      'numa.merge[0].a_end': '0x9ffff',
      'numa.merge[0].b_start': '0x100000',
      'numa.merge[0].b_end': '0x3fffffff',
      'numa.merge[0].start': '0x1000',
      'numa.merge[0].end': '0x3fffffff',
    },
  ],
  ['6.1-amd64', 'Faking a node at [mem 0x0000000000000000-0x000000001ffdffff]', { 'numa.fake.start': '0x0', 'numa.fake.end': '0x1ffdffff' }],
  ['6.12-amd64', '    NODE_DATA(1) on node 3', { 'node_data.on_node[1].on': '3' }],
  ['7.2-amd64', 'Faking node 2 at [mem 0x00000000aa001000-0x000000013fffffff] (2399MB)', { 'numa.fake_node[2].start': '0xaa001000', 'numa.fake_node[2].end': '0x13fffffff', 'numa.fake_node[2].mb': '2399MB' }],
  ['6.12-amd64', 'NODE_DATA(3) allocated [mem 0x13ffd2680-0x13fffcfff]', { 'node_data[3].start': '0x13ffd2680', 'node_data[3].end': '0x13fffcfff' }],
  ['6.1-amd64', '  DMA32    [mem 0x0000000001000000-0x000000001ffdffff]', { 'zones.range[DMA32].start': '0x1000000', 'zones.range[DMA32].end': '0x1ffdffff' }],
  ['6.1-amd64', '  Normal   empty', { 'zones.range[Normal].state': 'empty' }],
  ['6.1-686-pae', '  HighMem  [mem 0x0000000036ffe000-0x000000007ffdffff]', { 'zones.range[HighMem].start': '0x36ffe000', 'zones.range[HighMem].end': '0x7ffdffff' }],
  ['6.12-amd64', '  node   3: [mem 0x0000000100000000-0x000000013fffffff]', { 'zones.node_range[3].start': '0x100000000', 'zones.node_range[3].end': '0x13fffffff' }],
  ['6.1-amd64', 'Initmem setup node 1 [mem 0x0000000080000000-0x000000013fffffff]', { 'zones.initmem[1].start': '0x80000000', 'zones.initmem[1].end': '0x13fffffff' }],
  ['6.1-amd64', '  Node 0: 0x0000000040400000', { 'zones.movable_node[0].start': '0x40400000' }],
  ['6.1-amd64', 'On node 1, zone Normal: 32 pages in unavailable ranges', { 'zones.unavailable[1:Normal].pages': '32 pages' }],
  ['5.10-amd64', 'On node 0 totalpages: 1048446', { 'zones.totalpages[0].pages': '1048446 pages' }],
  ['5.10-amd64', '  DMA32 zone: 12224 pages used for memmap', { 'zones.memmap[DMA32].pages': '12224 pages' }],
  ['5.10-amd64', '  DMA zone: 21 pages reserved', { 'zones.dma_reserved[DMA].pages': '21 pages' }],
  ['5.10-686-pae', '  HighMem zone: 36834 pages, LIFO batch:7', { 'zones.batch[HighMem].pages': '36834 pages', 'zones.batch[HighMem].batch': '7' }],
  ['6.1-686-pae', 'initial memory mapped: [mem 0x00000000-0x023fffff]', { 'i386.initial_mapped.start': '0x0', 'i386.initial_mapped.end': '0x23fffff' }],
  ['6.1-686-pae', '1167MB HIGHMEM available.', { 'highmem.available.size': '1167MB' }],
  ['6.1-686-pae', '879MB LOWMEM available.', { 'lowmem.available.size': '879MB' }],
  ['6.1-686-pae', 'highmem size (1024MB) is bigger than pages available (511MB)!', { 'highmem.too_big.size': '1024MB', 'highmem.too_big.avail': '511MB' }],
  ['6.1-686-pae', 'highmem size (480MB) results in <64MB lowmem, ignoring it!', { 'highmem.lowmem_too_small.size': '480MB' }],
  ['6.1-686-pae', 'only 1167MB highmem pages available, ignoring highmem size of 3072MB!', { 'highmem.too_small.avail': '1167MB', 'highmem.too_small.size': '3072MB' }],
  ['6.1-686', '  mapped low ram: 0 - 36bfe000', { 'i386.mapped_low.end': '0x36bfe000' }],
  ['6.1-686', '  low ram: 0 - 36bfe000', { 'i386.low_ram.end': '0x36bfe000' }],
  ['6.1-686-pae', 'Initializing HighMem for node 0 (00036ffe:0007ffe0)', { 'highmem.init[HighMem:0].start_pfn': '0x36ffe', 'highmem.init[HighMem:0].end_pfn': '0x7ffe0' }],
  ['6.1-686', 'APIC: NR_CPUS/possible_cpus limit of 32 reached. Processor 47/0x2f ignored.', { 'smp.apic_limit[47].limit': '32', 'smp.apic_limit[47].apicid': '2f' }],
  ['7.2-amd64', 'CPU topo: Limiting to 1 possible CPUs', { 'topo.limiting.cpus': '1' }],
  ['7.2-amd64', 'CPU topo: CPU limit of 3 reached. Ignoring further CPUs', { 'topo.cpu_limit.limit': '3' }],
  ['6.1-amd64', 'smpboot: 4 Processors exceeds NR_CPUS limit of 2', { 'smp.nr_cpus_limit.cpus': '4', 'smp.nr_cpus_limit.limit': '2' }],
  ['6.1-amd64', 'smpboot: 2 Processors exceeds max_cpus limit of 0', { 'smp.max_cpus_limit.cpus': '2', 'smp.max_cpus_limit.limit': '0' }],
  ['7.2-amd64', 'CPU topo: Rejected CPUs 5', { 'topo.rejected.cpus': '5' }],
  ['5.10-amd64', 'setup_percpu: auto allocator failed (-12), falling back to page size', { 'percpu.fallback.fc': 'auto', 'percpu.fallback.rc': '-12' }],
  ['6.1-amd64', 'smpboot: Allowing 2 CPUs, 0 hotplug CPUs', { 'smp.possible.cpus': '2', 'smp.possible.hotplug': '0' }],
  ['6.1-amd64', 'RAMDISK: [mem 0x1feeb000-0x1ffdffff]', { 'initrd.ramdisk.start': '0x1feeb000', 'initrd.ramdisk.end': '0x1ffdffff' }],
  ['6.1-686', 'Allocated new RAMDISK: [mem 0x36a8f000-0x36bfd35f]', { 'initrd.allocated.start': '0x36a8f000', 'initrd.allocated.end': '0x36bfd35f' }],
  [
    '6.1-686',
    'Move RAMDISK from [mem 0x7fe71000-0x7ffdf35f] to [mem 0x36a8f000-0x36bfd35f]',
    { 'initrd.move.from_start': '0x7fe71000', 'initrd.move.from_end': '0x7ffdf35f', 'initrd.move.to_start': '0x36a8f000', 'initrd.move.to_end': '0x36bfd35f' },
  ],
  ['6.12-amd64', 'CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs', { 'smp.possible.cpus': '4', 'smp.possible.hotplug': '0' }],
  ['5.10-amd64', 'PM: hibernation: Registered nosave memory: [mem 0xc0000000-0xfffbffff]', { 'pm.nosave.start': '0xc0000000', 'pm.nosave.end': '0xfffbffff' }],
  ['6.1-amd64', '[mem 0x20000000-0xfffbffff] available for PCI devices', { 'pci.gap.start': '0x20000000', 'pci.gap.end': '0xfffbffff' }],
  ['7.2-amd64', '[gap 0xc0000000-0xfed1bfff] available for PCI devices', { 'pci.gap.start': '0xc0000000', 'pci.gap.end': '0xfed1bfff' }],
  [
    '6.1-amd64',
    'setup_percpu: NR_CPUS:8192 nr_cpumask_bits:4 nr_cpu_ids:4 nr_node_ids:2',
    { 'percpu.setup.nr_cpus': '8192', 'percpu.setup.nr_cpumask_bits': '4', 'percpu.setup.nr_cpu_ids': '4', 'percpu.setup.nr_node_ids': '2' },
  ],
  [
    '6.1-686-pae',
    'percpu: Embedded 33 pages/cpu s104276 r0 d30892 u135168',
    { 'percpu.embedded.pages': '33 pages', 'percpu.embedded.static': '104276 bytes', 'percpu.embedded.reserved': '0 bytes', 'percpu.embedded.dynamic': '30892 bytes', 'percpu.embedded.unit': '135168 bytes' },
  ],
  [
    '6.1-amd64',
    'percpu: 58 4K pages/cpu s217088 r8192 d12288',
    { 'percpu.page.pages': '58 pages', 'percpu.page.static': '217088 bytes', 'percpu.page.reserved': '8192 bytes', 'percpu.page.dynamic': '12288 bytes' },
  ],
  [
    '6.1-amd64',
    'pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152',
    { 'percpu.alloc.static': '217088 bytes', 'percpu.alloc.reserved': '8192 bytes', 'percpu.alloc.dynamic': '28672 bytes', 'percpu.alloc.unit': '1048576 bytes', 'percpu.alloc.units': '1', 'percpu.alloc.atom': '2097152 bytes' },
  ],
  ['6.1-amd64', 'pcpu-alloc: [0] 0 1 [1] 2 3 ', { 'percpu.map.groups': '[0] 0 1 [1] 2 3 ' }],
  // mm/percpu.c pcpu_dump_alloc_info(): a unit with no CPU prints empty_str, cpu_width dashes (3 CPUs, upa 4)
  ['6.1-amd64', 'pcpu-alloc: [0] 0 1 2 - ', { 'percpu.map.groups': '[0] 0 1 2 - ' }],
  ['6.12-amd64', 'Fallback order for Node 2: 2 3 0 1 ', { 'zonelists.fallback[2].order': '2 3 0 1 ' }],
  ['6.1-amd64', 'Built 2 zonelists, mobility grouping on.  Total pages: 1031904', { 'zonelists.built.zonelists': '2', 'zonelists.built.grouping': 'on', 'zonelists.built.total': '1031904 pages' }],
  ['6.1-amd64', 'Policy zone: DMA32', { 'zonelists.policy.zone': 'DMA32' }],
  ['6.1-amd64', 'Command line: console=ttyS0 nokaslr panic=-1 loglevel=8', { 'cmdline.x86.cmdline': 'console=ttyS0 nokaslr panic=-1 loglevel=8' }],
  ['6.1-amd64', 'Kernel command line: console=ttyS0 nokaslr panic=-1 loglevel=8 memmap=32M$0x8000000', { 'cmdline.kernel.cmdline': 'console=ttyS0 nokaslr panic=-1 loglevel=8 memmap=32M$0x8000000' }],
  ['6.12-amd64', 'Unknown kernel command line parameters "nokaslr", will be passed to user space.', { 'cmdline.unknown.params': 'nokaslr' }],
  [
    '6.1-amd64',
    'Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, vmalloc hugepage)',
    { 'hash.dentry.entries': '524288', 'hash.dentry.order': '10', 'hash.dentry.bytes': '4194304 bytes', 'hash.dentry.alloc': 'vmalloc hugepage' },
  ],
  [
    '6.12-amd64',
    'Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, vmalloc)',
    { 'hash.inode.entries': '262144', 'hash.inode.order': '9', 'hash.inode.bytes': '2097152 bytes', 'hash.inode.alloc': 'vmalloc' },
  ],
  ['6.1-amd64', 'printk: log_buf_len individual max cpu contribution: 4096 bytes', { 'printk.log_buf_cpu_max.bytes': '4096 bytes' }],
  ['6.1-amd64', 'printk: log_buf_len total cpu_extra contributions: 77824 bytes', { 'printk.log_buf_cpu_extra.bytes': '77824 bytes' }],
  ['6.1-amd64', 'printk: log_buf_len min size: 131072 bytes', { 'printk.log_buf_min.bytes': '131072 bytes' }],
  ['6.1-686', 'printk: log_buf_len: 4194304 bytes', { 'printk.log_buf_len.bytes': '4194304 bytes' }],
  ['7.2-amd64', 'printk: log buffer data + meta data: 1048576 + 4456448 = 5505024 bytes', { 'printk.log_buf_meta.data': '1048576 bytes', 'printk.log_buf_meta.meta': '4456448 bytes', 'printk.log_buf_meta.total': '5505024 bytes' }],
  ['6.1-686', 'stackdepot hash table entries: 65536 (order: 6, 262144 bytes, linear)', { 'hash.stackdepot.entries': '65536', 'hash.stackdepot.order': '6', 'hash.stackdepot.bytes': '262144 bytes', 'hash.stackdepot.alloc': 'linear' }],
  ['5.10-amd64', 'mem auto-init: stack:off, heap alloc:on, heap free:off', { 'mem.auto_init.stack': 'off', 'mem.auto_init.alloc': 'on', 'mem.auto_init.free': 'off' }],
  ['6.1-amd64', 'mem auto-init: stack:all(zero), heap alloc:on, heap free:off', { 'mem.auto_init.stack': 'all(zero)', 'mem.auto_init.alloc': 'on', 'mem.auto_init.free': 'off' }],
  ['6.1-amd64', 'software IO TLB: area num 4.', { 'swiotlb.area.areas': '4' }],
  ['7.2-amd64', 'user: [gap 0x000000000009f000-0x00000000000fffff]', { 'e820.user_gap.start': '0x9f000', 'e820.user_gap.end': '0xfffff' }],
  ['6.1-amd64', 'crashkernel reservation failed - No suitable area found.', { 'crashkernel.failed.why': 'No suitable area found' }],
  ['7.2-amd64', 'cannot allocate crashkernel (size:0x3e800000)', { 'crashkernel.failed.size': '3e800000' }],
  ['6.1-amd64', 'software IO TLB: SWIOTLB bounce buffer size roundup to 32MB', { 'swiotlb.roundup.size': '32MB' }],
  ['7.2-amd64', 'cma: Reserved 128 MiB at 0x00000000b7e00000', { 'cma.reserved.size': '128MB', 'cma.reserved.base': '0xb7e00000' }],
  ['6.1-amd64', 'Reserving 256MB of memory at 1776MB for crashkernel (System RAM: 2047MB)', { 'crashkernel.reserved.size': '256MB', 'crashkernel.reserved.base': '1776MB', 'crashkernel.reserved.ram': '2047MB' }],
  ['6.1-amd64', 'Reserving 128MB of low memory at 1904MB for crashkernel (low RAM limit: 4096MB)', { 'crashkernel.low.size': '128MB', 'crashkernel.low.base': '1904MB', 'crashkernel.low.limit': '4096MB' }],
  ['6.12-amd64', 'crashkernel reserved: 0x00000001af000000 - 0x00000001bf000000 (256 MB)', { 'crashkernel.reserved_generic.start': '0x1af000000', 'crashkernel.reserved_generic.end': '0x1bf000000', 'crashkernel.reserved_generic.size': '256MB' }],
  ['6.12-amd64', 'crashkernel low memory reserved: 0xaf000000 - 0xbf000000 (256 MB)', { 'crashkernel.low_generic.start': '0xaf000000', 'crashkernel.low_generic.end': '0xbf000000', 'crashkernel.low_generic.size': '256MB' }],
  ['6.1-amd64', 'software IO TLB: mapped [mem 0x00000000bbfe0000-0x00000000bffe0000] (64MB)', { 'swiotlb.mapped.start': '0xbbfe0000', 'swiotlb.mapped.end': '0xbffe0000', 'swiotlb.mapped.size': '64MB' }],
  ['6.1-686', 'Checking if this processor honours the WP bit even in supervisor mode...Ok.', { 'mem.wp_check.result': 'Ok' }],
  [
    '6.1-amd64',
    'Memory: 207548K/523768K available (14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, 63644K reserved, 0K cma-reserved)',
    {
      'mem.summary.available': '207548K',
      'mem.summary.physpages': '523768K',
      'mem.summary.code': '14343K',
      'mem.summary.rwdata': '2338K',
      'mem.summary.rodata': '9132K',
      'mem.summary.init': '2824K',
      'mem.summary.bss': '17344K',
      'mem.summary.reserved': '63644K',
      'mem.summary.cma_reserved': '0K',
    },
  ],
  [
    '6.1-686-pae',
    'Memory: 2058968K/2096632K available (9423K kernel code, 1265K rwdata, 3188K rodata, 928K init, 476K bss, 37664K reserved, 0K cma-reserved, 1195912K highmem)',
    {
      'mem.summary.available': '2058968K',
      'mem.summary.physpages': '2096632K',
      'mem.summary.code': '9423K',
      'mem.summary.rwdata': '1265K',
      'mem.summary.rodata': '3188K',
      'mem.summary.init': '928K',
      'mem.summary.bss': '476K',
      'mem.summary.reserved': '37664K',
      'mem.summary.cma_reserved': '0K',
      'mem.summary.highmem': '1195912K',
    },
  ],
  [
    '6.1-amd64',
    'SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=4, Nodes=2',
    { 'slub.hwalign': '64 bytes', 'slub.min_order': '0', 'slub.max_order': '3', 'slub.min_objects': '0', 'slub.cpus': '4', 'slub.nodes': '2' },
  ],
  // 3.0.1 i386 (the seeds' build)
  ['3.0.1-i386', ' BIOS-e820: 0000000000100000 - 000000003ffe0000 (usable)', { 'e820.entry_legacy.start': '0x100000', 'e820.entry_legacy.end': '0x3ffe0000', 'e820.entry_legacy.type': '(usable)' }],
  ['3.0.1-i386', 'e820 update range: 0000000000000000 - 0000000000010000 (usable) ==> (reserved)', { 'e820.update_legacy.start': '0x0', 'e820.update_legacy.end': '0x10000', 'e820.update_legacy.from': '(usable)', 'e820.update_legacy.to': '(reserved)' }],
  ['3.0.1-i386', 'e820 remove range: 00000000000a0000 - 0000000000100000 (usable)', { 'e820.remove_legacy.start': '0xa0000', 'e820.remove_legacy.end': '0x100000', 'e820.remove_legacy.type': '(usable)' }],
  ['3.0.1-i386', '  Normal   0x00001000 -> 0x000377fe', { 'zones.pfn_range[Normal].start': '0x1000', 'zones.pfn_range[Normal].end': '0x377fe' }],
  ['3.0.1-i386', 'early_node_map[2] active PFN ranges', { 'zones.early_node_map.entries': '2' }],
  ['3.0.1-i386', '    0: 0x00000100 -> 0x0003ffe0', { 'zones.early_node_range.node': '0', 'zones.early_node_range.start': '0x100', 'zones.early_node_range.end': '0x3ffe0' }],
  ['3.0.1-i386', 'Allocating PCI resources starting at 40000000 (gap: 40000000:bffc0000)', { 'pci.gap_legacy.start': '0x40000000', 'pci.gap_legacy.gap': '0x40000000', 'pci.gap_legacy.size': '0xbffc0000' }],
  ['3.0.1-i386', 'Built 1 zonelists in Zone order, mobility grouping on.  Total pages: 259951', { 'zonelists.built_legacy.zonelists': '1', 'zonelists.built_legacy.order': 'Zone', 'zonelists.built_legacy.grouping': 'on', 'zonelists.built_legacy.total': '259951 pages' }],
  ['2.6.11-i386', 'Built 1 zonelists', { 'zonelists.built_count.zonelists': '1' }],
  ['3.0.1-i386', 'PID hash table entries: 4096 (order: 2, 16384 bytes)', { 'hash.pid.entries': '4096', 'hash.pid.order': '2', 'hash.pid.bytes': '16384 bytes' }],
  ['3.0.1-i386', 'Dentry cache hash table entries: 131072 (order: 7, 524288 bytes)', { 'hash.dentry_legacy.entries': '131072', 'hash.dentry_legacy.order': '7', 'hash.dentry_legacy.bytes': '524288 bytes' }],
  ['3.0.1-i386', 'Inode-cache hash table entries: 65536 (order: 6, 262144 bytes)', { 'hash.inode_legacy.entries': '65536', 'hash.inode_legacy.order': '6', 'hash.inode_legacy.bytes': '262144 bytes' }],
  ['3.0.1-i386', '    pkmap   : 0xff800000 - 0xffc00000   (4096 kB)', { 'mem.layout[pkmap  ].start': '0xff800000', 'mem.layout[pkmap  ].end': '0xffc00000', 'mem.layout[pkmap  ].size': '4096', 'mem.layout[pkmap  ].unit': 'kB' }],
  ['3.0.1-i386', 'initial memory mapped : 0 - 01800000', { 'i386.initial_mapped_legacy.end': '0x1800000' }],
  ['3.0.1-i386', 'init_memory_mapping: 0000000000000000-00000000377fe000', { 'init_mapping.legacy.start': '0x0', 'init_mapping.legacy.end': '0x377fe000' }],
  ['3.0.1-i386', ' 0000400000 - 0037400000 page 2M', { 'init_mapping.range_legacy.start': '0x400000', 'init_mapping.range_legacy.end': '0x37400000', 'init_mapping.range_legacy.size': '2M' }],
  ['3.0.1-i386', 'kernel direct mapping tables up to 377fe000 @ 17fb000-1800000', { 'init_mapping.tables_legacy.end': '0x377fe000', 'init_mapping.tables_legacy.base': '0x17fb000', 'init_mapping.tables_legacy.top': '0x1800000' }],
  ['3.0.1-i386-elf', 'RAMDISK: 3ffdf000 - 3ffe0000', { 'initrd.ramdisk_30.start': '0x3ffdf000', 'initrd.ramdisk_30.end': '0x3ffe0000' }],
  ['3.0.1-i386-elf', 'Allocated new RAMDISK: 377fd000 - 377fdce8', { 'initrd.allocated_30.start': '0x377fd000', 'initrd.allocated_30.end': '0x377fdce8' }],
  [
    '3.0.1-i386-elf',
    'Move RAMDISK from 000000003ffdf000 - 000000003ffdfce7 to 377fd000 - 377fdce7',
    { 'initrd.move_30.from_start': '0x3ffdf000', 'initrd.move_30.from_end': '0x3ffdfce7', 'initrd.move_30.to_start': '0x377fd000', 'initrd.move_30.to_end': '0x377fdce7' },
  ],
  ['3.0.1-i386', 'Base memory trampoline at [c009e000] 9e000 size 4096', { 'trampoline.base_legacy.va': '0xc009e000', 'trampoline.base_legacy.pa': '0x9e000', 'trampoline.base_legacy.size': '4096 bytes' }],
  ['3.0.1-i386', 'Initializing CPU#0', { 'cpu.init_legacy.cpu': '0' }],
  ['3.0.1-i386', 'SLUB: Genslabs=15, HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1', { 'slub.genslabs.genslabs': '15', 'slub.genslabs.hwalign': '32 bytes', 'slub.genslabs.min_order': '0', 'slub.genslabs.max_order': '3', 'slub.genslabs.min_objects': '0', 'slub.genslabs.cpus': '1', 'slub.genslabs.nodes': '1' }],
  ['2.6.34-i386', '  node 0 low ram: 00000000 - 377fe000', { 'bootmem.node_low_ram[0].start': '0x0', 'bootmem.node_low_ram[0].end': '0x377fe000' }],
  ['2.6.34-i386', '  node 0 bootmap 00008000 - 0000ef00', { 'bootmem.node_bootmap[0].start': '0x8000', 'bootmem.node_bootmap[0].end': '0xef00' }],
  ['2.6.34-i386', '(5/32 early reservations) ==> bootmem [0000000000 - 00377fe000]', { 'early_res.to_bootmem.count': '5', 'early_res.to_bootmem.max': '32', 'early_res.to_bootmem.start': '0x0', 'early_res.to_bootmem.end': '0x377fe000' }],
  ['2.6.34-i386', '  #2 [00011b9000 - 00011be08d]              BRK ==> [00011b9000 - 00011be08d]', { 'early_res.entry[2].start': '0x11b9000', 'early_res.entry[2].end': '0x11be08d', 'early_res.entry[2].name': 'BRK', 'early_res.entry[2].bstart': '0x11b9000', 'early_res.entry[2].bend': '0x11be08d' }],
  ['2.6.34-i386', 'free_area_init_node: node 0, pgdat c114f360, node_mem_map c11c0020', { 'zones.node_mem_map_legacy[0].pgdat': '0xc114f360', 'zones.node_mem_map_legacy[0].mem_map': '0xc11c0020' }],
  ['2.6.11-x86_64', 'Faking a node at 0000000000000000-000000009ffe0000', { 'numa.fake_legacy.start': '0x0', 'numa.fake_legacy.end': '0x9ffe0000' }],
  ['2.6.11-x86_64', 'Bootmem setup node 0 0000000000000000-000000009ffe0000', { 'numa.bootmem_setup_legacy[0].start': '0x0', 'numa.bootmem_setup_legacy[0].end': '0x9ffe0000' }],
  ['2.6.11-x86_64', 'Placing software IO TLB between 0x3984000 - 0x5984000', { 'swiotlb.placing_legacy.start': '0x3984000', 'swiotlb.placing_legacy.end': '0x5984000' }],
  ['2.6.11-x86_64', 'Memory: 2539952k/2621312k available (2547k kernel code, 0k reserved, 1724k data, 212k init)', { 'mem.summary_legacy_x86_64.available': '2539952K', 'mem.summary_legacy_x86_64.physpages': '2621312K', 'mem.summary_legacy_x86_64.code': '2547K', 'mem.summary_legacy_x86_64.reserved': '0K', 'mem.summary_legacy_x86_64.data': '1724K', 'mem.summary_legacy_x86_64.init': '212K' }],
  ['2.6.34-i386', 'Memory: 1037272k/1048448k available (1030k kernel code, 10784k reserved, 314k data, 200k init, 139144k highmem)', { 'mem.summary_legacy.available': '1037272K', 'mem.summary_legacy.physpages': '1048448K', 'mem.summary_legacy.code': '1030K', 'mem.summary_legacy.reserved': '10784K', 'mem.summary_legacy.data': '314K', 'mem.summary_legacy.init': '200K', 'mem.summary_legacy.highmem': '139144K' }],
];

describe('fields read off real lines', () => {
  test.each(expected)('on %s: %j', (kernel, text, fields) => {
    expect(fieldsOf(kernel, text)).toEqual(fields);
  });

  test('expected_table_covers_every_family_with_fields: expect hand-checked values for each', () => {
    const covered = new Set(expected.map(([k, t]) => parseCatalogLine(line(t), kernelKeyOfId(k))!.family));
    const withFields = families.filter((f) => f.fields.some((s) => !s.key));
    expect(withFields.map((f) => f.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('versions and arches decide what counts', () => {
  test.each([
    ['7.2 e820 spelling on 6.1', '6.1-amd64', 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  System RAM'],
    ['6.1 e820 spelling on 7.2', '7.2-amd64', 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable'],
    ['CPU topo on 6.1', '6.1-amd64', 'CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs'],
    ['5.10 zone detail on 6.1', '6.1-amd64', 'On node 0 totalpages: 1048446'],
    ['i386 highmem on x86_64', '6.1-amd64', '1167MB HIGHMEM available.'],
    ['NUMA policy on i386', '6.1-686-pae', 'Policy zone: Normal'],
    ['trailing space missing from Fallback', '6.1-amd64', 'Fallback order for Node 0: 0'],
  ])('%s: expect no catalog family', (_what, kernel, text) => {
    expect(parseCatalogLine(line(text), kernelKeyOfId(kernel))).toBeUndefined();
  });
});
