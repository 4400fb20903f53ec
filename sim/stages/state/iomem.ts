// The /proc/iomem tree after boot (issue 13 item 4), beyond the kernel image's four resources
// (index.ts kernelResources): the e820 entries, the ROMs probe_roms() finds, the PCI host bridge's
// windows from the DSDT, the default devices' BARs where SeaBIOS put them, IOAPIC, HPET, the local
// APIC and the MCFG window, each inserted in the kernel's order into a port of kernel/resource.c so
// that the nesting, two spaces a level in r_show(), comes out of the same rules. Pure.
import type { BootContext, BootState } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import { sliceIfAny } from '../../state.ts';
import { QEMU_7_2, guestCpu, qemuMemoryLayout } from '../../firmware/qemu-7.2.ts';
import { HPET, IOAPIC_BASE, LAPIC_BASE, Q35_PNP_BEFORE_DRAC, dsdtMemWindows, seabiosMemBars, seabiosOptionRoms } from '../../firmware/qemu-7.2-pci.ts';
import { acpiDisabled, parseParams } from '../cmdline.ts';
import type { StateField } from './index.ts';

/** One struct resource: [start, end], its name, IORESOURCE_BUSY, and where the model took it from. */
export interface Resource {
  start: bigint;
  end: bigint;
  readonly name: string;
  busy: boolean;
  readonly why: string;
  parent?: Resource;
  children: Resource[];
}

export const res = (start: bigint, end: bigint, name: string, busy: boolean, why: string): Resource => ({ start, end, name, busy, why, children: [] });

/** kernel/resource.c __request_resource(): link `r` among root's children, or return the conflict (root when out of range). */
export function requestResource(root: Resource, r: Resource): Resource | undefined {
  if (r.end < r.start || r.start < root.start || r.end > root.end) return root;
  const i = root.children.findIndex((c) => c.end >= r.start);
  if (i < 0 || root.children[i]!.start > r.end) {
    root.children.splice(i < 0 ? root.children.length : i, 0, r);
    r.parent = root;
    return undefined;
  }
  return root.children[i];
}

/**
 * kernel/resource.c __insert_resource(): descend into a resource that holds `r` strictly; a
 * resource of the same range, and the run of siblings `r` holds, become its children; a partial
 * overlap is the conflict returned.
 */
export function insertResource(root: Resource, r: Resource): Resource | undefined {
  let parent = root;
  let first: Resource | undefined;
  for (;;) {
    first = requestResource(parent, r);
    if (!first || first === parent) return first;
    if (first.start > r.start || first.end < r.end) break;
    if (first.start === r.start && first.end === r.end) break;
    parent = first;
  }
  const from = parent.children.indexOf(first);
  let to = from;
  for (;;) {
    const next = parent.children[to]!;
    if (next.start < r.start || next.end > r.end) return next;
    const sib = parent.children[to + 1];
    if (!sib || sib.start > r.end) break;
    to++;
  }
  const moved = parent.children.splice(from, to - from + 1, r);
  r.parent = parent;
  r.children = moved;
  for (const m of moved) m.parent = r;
  return undefined;
}

/** kernel/resource.c insert_resource_expand_to_fit(): grow `r` over each partial conflict and insert again. */
function insertExpandToFit(root: Resource, r: Resource): void {
  if (r.parent) return;
  for (;;) {
    const c = insertResource(root, r);
    if (!c || c === root) return;
    if (c.start < r.start) r.start = c.start;
    if (c.end > r.end) r.end = c.end;
  }
}

/** kernel/resource.c __request_region(): descend into each conflict that is not IORESOURCE_BUSY; false when a busy one is in the way. */
function requestRegion(root: Resource, r: Resource): boolean {
  let parent = root;
  for (;;) {
    const c = requestResource(parent, r);
    if (!c) return true;
    if (c !== parent && !c.busy) {
      parent = c;
      continue;
    }
    return false;
  }
}

/** kernel/resource.c __reserve_region_with_split(): the parts of [start, end] no top-level resource covers. */
export function reserveRegionWithSplit(root: Resource, start: bigint, end: bigint, name: string, why: string): void {
  let r: Resource | undefined = res(start, end, name, true, why);
  let next: Resource | undefined;
  while (r) {
    const c = requestResource(root, r);
    if (!c) {
      r = next;
      next = undefined;
      continue;
    }
    if (c === root) return;
    if (c.start <= r.start && c.end >= r.end) return; // the conflict covers the whole area
    if (c.start > r.start) {
      const e = r.end;
      r.end = c.start - 1n;
      if (c.end < e) next = res(c.end + 1n, e, name, true, why);
    } else {
      r.start = c.end + 1n;
    }
  }
}

/** arch/x86/kernel/e820.c e820_type_to_string() (5.10 … 7.2). */
export function e820TypeName(type: number): string {
  switch (type) {
    case 1: case 128: return 'System RAM'; // E820_TYPE_RAM, E820_TYPE_RESERVED_KERN
    case 3: return 'ACPI Tables';
    case 4: return 'ACPI Non-volatile Storage';
    case 5: return 'Unusable memory';
    case 12: return 'Persistent Memory (legacy)';
    case 7: return 'Persistent Memory';
    case 0xefffffff: return 'Soft Reserved';
    default: return 'Reserved';
  }
}

/** arch/x86/kernel/e820.c do_mark_busy(): the first megabyte, and every type but reserved/soft-reserved/pram/pmem, is inserted busy at once. */
const markBusy = (type: number, start: bigint): boolean => start < 1n << 20n || ![2, 0xefffffff, 12, 7].includes(type);

/** arch/x86/kernel/e820.c ram_alignment(): 64 KiB in the first MiB, 1 MiB below 16 MiB, 64 MiB above. */
const ramAlignment = (pos: bigint): bigint => (pos >> 20n === 0n ? 0x10000n : pos >> 20n < 16n ? 1n << 20n : 64n << 20n);

/**
 * arch/x86/kernel/cpu/common.c get_cpu_address_sizes() (5.10 … 7.2): CPUID 0x80000008 EAX[7:0] when the
 * vCPU has that leaf (QEMU reports cpu->phys_bits there), else on 32-bit 36 with PAE or PSE36, else
 * early_identify_cpu()'s 36 (x86_64) or 32 (i386).
 */
export function kernelPhysBits(ctx: BootContext): number {
  const cpu = guestCpu(ctx.spec.cpu, ctx.traits.arch);
  if (cpu.xlevel >= 0x80000008) return cpu.physBits;
  if (ctx.traits.arch === 'i386') return cpu.has('pae') || cpu.has('pse36') ? 36 : 32;
  return 36;
}

/** The iomem tree a finished boot leaves: the root and every resource the model inserted. */
export function iomemTree(state: BootState, ctx: BootContext): Resource {
  const wide = ctx.traits.arch === 'x86_64' || ctx.traits.pae;
  const layout = qemuMemoryLayout({ arch: ctx.traits.arch, machine: ctx.spec.machine, memoryBytes: ctx.spec.memoryBytes, memoryText: ctx.spec.memoryText, cpu: ctx.spec.cpu });
  // kernel/resource.c iomem_resource [0, -1]; arch/x86/kernel/setup.c setup_arch(): end = (1 << x86_phys_bits) − 1,
  // truncated to a 32-bit resource_size_t without PAE
  const physBits = kernelPhysBits(ctx);
  const root = res(0n, wide ? (1n << BigInt(physBits)) - 1n : 0xffffffffn, 'PCI mem', false, 'kernel/resource.c iomem_resource');
  const acpiOff = acpiDisabled(ctx.spec);
  const e820 = sliceIfAny(state, 'e820')?.table ?? [];
  const late = setupArchResources(root, state, ctx, e820, wide);
  const bridge = acpiOff ? [] : acpiRootResources(root, ctx, layout, wide);
  pciSurveyResources(root, ctx, layout, { e820, late, bridge, acpiOff });
  if (!acpiOff) pnpAndMmconfigResources(root, ctx);
  lateInitcallResources(root, ctx, acpiOff);
  return root;
}

type E820Entries = NonNullable<ReturnType<typeof sliceIfAny<'e820'>>>['table'];

/** setup_arch()'s resources: the ROMs, the e820 entries do_mark_busy() inserts now (the rest returned for later), crash kernel, i386's video RAM. */
function setupArchResources(root: Resource, state: BootState, ctx: BootContext, e820: E820Entries, wide: boolean): Resource[] {
  // setup_arch() → x86_init.resources.probe_roms() (arch/x86/kernel/probe_roms.c probe_roms): the video ROM at
  // 0xc0000, its length the header's size byte × 512 when the checksum holds; then, on 2K steps up to the
  // system ROM, each ROM with a signature and a good checksum, "Adapter ROM" [start, start + rom[2] × 512 − 1];
  // the ROMs are where SeaBIOS left them (sim/firmware/qemu-7.2-pci.ts seabiosOptionRoms); SeaBIOS leaves
  // no ROM at 0xe0000 (extension_rom_resource)
  for (const [i, rom] of seabiosOptionRoms(ctx.spec.machine).entries()) {
    requestResource(root, res(rom.start, rom.start + rom.size - 1n, i === 0 ? 'Video ROM' : 'Adapter ROM', true, `arch/x86/kernel/probe_roms.c probe_roms(): ${i === 0 ? 'video_rom_resource' : 'adapter_rom_resources'}, ${rom.file} (${rom.size / 512n} × 512)`));
  }
  requestResource(root, res(0xf0000n, 0xfffffn, 'System ROM', true, 'arch/x86/kernel/probe_roms.c probe_roms(): system_rom_resource'));

  // setup_arch() → e820__reserve_resources() (arch/x86/kernel/e820.c): every e820_table entry a resource
  // named by its type; do_mark_busy() ones inserted now, the rest by e820__reserve_resources_late(); on a
  // 32-bit resource_size_t an entry that ends above 4G is skipped
  const late: Resource[] = [];
  for (const x of e820) {
    if (!wide && x.addr + x.size > 1n << 32n) continue;
    const r = res(x.addr, x.addr + x.size - 1n, e820TypeName(x.type), markBusy(x.type, x.addr), `arch/x86/kernel/e820.c e820__reserve_resources(): e820_table entry type ${x.type}`);
    if (r.busy) insertResource(root, r);
    else late.push(r);
  }
  // crashkernel=: crashk_res, and crashk_low_res for a low part, "Crash kernel" (IORESOURCE_BUSY), insert_resource()d over
  // the region the reservation keeps in memblock (sim/stages/crashkernel.ts): arch/x86/kernel/setup.c reserve_crashkernel()
  // (5.10, 6.1); kernel/crash_reserve.c reserve_crashkernel_generic() and reserve_crashkernel_low() under
  // HAVE_ARCH_ADD_CRASH_RES_TO_IOMEM_EARLY (6.12, 7.2: arch/x86/include/asm/crash_reserve.h)
  for (const e of sliceIfAny(state, 'memblock')?.ledger ?? []) {
    if (e.stage !== 'crashkernel') continue;
    for (const x of e.ranges) insertResource(root, res(x.start, x.end - 1n, 'Crash kernel', true, `${e.source}: crashk${e.why.includes('low') ? '_low' : ''}_res, insert_resource()`));
  }
  // arch/x86/kernel/head32.c: x86_init.resources.reserve_resources = i386_reserve_resources, whose
  // request_resource(&iomem_resource, &video_ram_resource) (arch/x86/kernel/setup.c) is 32-bit only
  if (ctx.traits.arch === 'i386') requestResource(root, res(0xa0000n, 0xbffffn, 'Video RAM area', true, 'arch/x86/kernel/setup.c i386_reserve_resources(): video_ram_resource'));

  return late;
}

/** subsys_initcall(acpi_init): the PCI0._CRS windows ("PCI Bus 0000:00"), returned, and the HPET platform device. */
function acpiRootResources(root: Resource, ctx: BootContext, layout: ReturnType<typeof qemuMemoryLayout>, wide: boolean): Resource[] {
  // acpi=off: no DSDT, MADT, HPET or MCFG table, so no host-bridge windows, HPET or MMCONFIG resources (the
  // host-bridge MMCONFIG probe, arch/x86/pci/mmconfig-shared.c pci_mmcfg_probes, knows no QEMU bridge)
  const bridge: Resource[] = [];
  // subsys_initcall(acpi_init) → acpi_pci_root_add(): the PCI0._CRS windows, "PCI Bus 0000:00"
  // (drivers/acpi/pci_root.c, arch/x86/pci/acpi.c pci_acpi_root_add_resources: insert_resource_conflict;
  // pci_use_crs for a BIOS dated 2008 or later, SeaBIOS's DMI date is 04/01/2014). A window above 4G is
  // refused on a 32-bit resource_size_t (drivers/acpi/resource.c acpi_decode_space: "not CPU addressable")
  const w = dsdtMemWindows(ctx.spec.machine, layout);
  const windows = [w.legacy, ...w.hole32, w.hole64].filter((s) => wide || s.end <= 0xffffffffn);
  for (const s of windows) {
    const r = res(s.start, s.end, 'PCI Bus 0000:00', false, 'hw/i386/acpi-build.c build_dsdt(): PCI0._CRS memory window');
    insertResource(root, r);
    bridge.push(r);
  }
  // acpi_bus_scan → acpi_default_enumeration → acpi_create_platform_device() for the DSDT's HPET (PNP0103):
  // platform_device_add() inserts its _CRS Memory32Fixed(HPET_BASE, HPET_LEN) named "PNP0103:00"
  insertResource(root, res(HPET.base, HPET.base + HPET.len - 1n, 'PNP0103:00', false, 'drivers/acpi/acpi_platform.c acpi_create_platform_device(), drivers/base/platform.c platform_device_add()'));
  return bridge;
}

/** subsys_initcall(pci_subsys_init) → pcibios_resource_survey(): the BARs, the late e820 entries, the RAM buffers and the IOAPIC. */
function pciSurveyResources(root: Resource, ctx: BootContext, layout: ReturnType<typeof qemuMemoryLayout>, x: { readonly e820: E820Entries; readonly late: readonly Resource[]; readonly bridge: readonly Resource[]; readonly acpiOff: boolean }): void {
  const { e820, late, bridge, acpiOff } = x;
  const hex = (v: bigint): string => `0x${v.toString(16)}`;
  // subsys_initcall(pci_subsys_init) → pcibios_resource_survey() (arch/x86/pci/i386.c): pci_claim_resource()
  // requests each BAR under the root bus resource holding it, named pci_name(): with ACPI the PCI0._CRS window;
  // with acpi=off pci_legacy_init() → pcibios_scan_root() → x86_pci_root_bus_resources() finds no native
  // host-bridge info (arch/x86/pci/amd_bus.c probes AMD northbridges only) and gives the root bus the defaults,
  // ioport_resource and iomem_resource ("PCI: root bus 00: using default resources", arch/x86/pci/bus_numa.c),
  // so each BAR goes straight under iomem_resource. The boot VGA's ROM BAR is not among them either way:
  // pci_fixup_video() (arch/x86/pci/fixup.c) points it at the shadow copy, [0xc0000, +128K), IORESOURCE_PCI_FIXED,
  // which no window holds and which collides with "Video ROM" under iomem_resource, and which is never reassigned
  for (const b of seabiosMemBars(ctx.spec.machine, layout.belowGb4)) {
    if (b.bar.index === 6 && b.device.bootVga) continue;
    const r = res(b.start, b.start + b.bar.size - 1n, b.device.name, false, `SeaBIOS src/fw/pciinit.c pci_bios_map_devices(): ${b.device.what} BAR${b.bar.index === 6 ? ' ROM' : b.bar.index}, ${hex(b.bar.size)} bytes`);
    const win = acpiOff ? root : bridge.find((x) => x.start <= r.start && r.end <= x.end);
    if (win) requestResource(win, r);
  }
  // pcibios_resource_survey() → e820__reserve_resources_late(): the remaining entries, then a "RAM buffer"
  // from each RAM entry's end up to ram_alignment() wherever nothing covers it
  for (const r of late) insertExpandToFit(root, r);
  for (const x of e820) {
    if (x.type !== 1) continue;
    const start = x.addr + x.size;
    let end = ((start + ramAlignment(start) - 1n) / ramAlignment(start)) * ramAlignment(start) - 1n;
    if (end > root.end) end = root.end;
    if (start >= end) continue;
    reserveRegionWithSplit(root, start, end, 'RAM buffer', 'arch/x86/kernel/e820.c e820__reserve_resources_late(): reserve_region_with_split()');
  }
  // pcibios_resource_survey() → ioapic_insert_resources() (arch/x86/kernel/apic/io_apic.c): "IOAPIC %u",
  // IO_APIC_SLOT_SIZE 1024, for_each_ioapic: the one IOAPIC of the MADT or, with acpi=off or noapic, of SeaBIOS's
  // MP table at the same address. noapic (ioapic_is_disabled; skip_ioapic_setup on 5.10/6.1) has enable_IO_APIC()
  // set nr_ioapics to 0 first, from apic_intr_mode_init() → apic_bsp_setup(), which runs in every interrupt mode
  // but APIC_PIC: nolapic (refused) or a vCPU without an APIC (apic_intr_mode_select(); x86_64 checks
  // X86_FEATURE_APIC, i386 also needs an integrated APIC, which every QEMU model with the flag has)
  const noapic = parseParams(ctx.spec.cmdline ?? '').some((p) => p.param === 'noapic');
  const picMode = !guestCpu(ctx.spec.cpu, ctx.traits.arch).has('apic');
  if (!noapic || picMode) insertResource(root, res(IOAPIC_BASE, IOAPIC_BASE + 0x3ffn, 'IOAPIC 0', true, 'arch/x86/kernel/apic/io_apic.c ioapic_insert_resources()'));

}

/** q35's MMCONFIG window: fs_initcall's PNP0C01 claim and late_initcall(pci_mmcfg_late_insert_resources). */
function pnpAndMmconfigResources(root: Resource, ctx: BootContext): void {
  const mm = QEMU_7_2.machines[ctx.spec.machine].mmconfig;
  if (mm === undefined) return;
  // fs_initcall: the DSDT's PNP0C01 (hw/i386/acpi-build.c build_q35_dram_controller, _CRS the MCFG window)
  // has its range request_mem_region()ed, then un-busied. 5.10 … 6.12: drivers/pnp/system.c reserve_range(),
  // named "pnp <dev>", the pnp device's name "%02x:%02x" of protocol 0 (pnpacpi, the only one: PnPBIOS is
  // disabled by ACPI) and its number among pnpacpi's devices (drivers/pnp/core.c pnp_alloc_dev,
  // sim/firmware/qemu-7.2-pci.ts Q35_PNP_BEFORE_DRAC); 7.2: drivers/acpi/scan.c acpi_scan_claim_resources(),
  // named after the ACPI device, the first PNP0C01
  const acpiScan = ctx.traits.state.iomem.motherboardResources === 'acpi-scan';
  const pnp = `pnp 00:${Q35_PNP_BEFORE_DRAC.length.toString(16).padStart(2, '0')}`;
  const r = res(mm.base, mm.base + mm.size - 1n, acpiScan ? 'PNP0C01:00' : pnp, true, acpiScan ? 'drivers/acpi/scan.c acpi_scan_claim_resources()' : `drivers/pnp/system.c reserve_range(): the pnp device after ${Q35_PNP_BEFORE_DRAC.join(', ')}`);
  if (requestRegion(root, r)) r.busy = false;
  // late_initcall(pci_mmcfg_late_insert_resources) (arch/x86/pci/mmconfig-shared.c): the MCFG window, busy
  const buses = (mm.size >> 20n) - 1n;
  insertResource(root, res(mm.base, mm.base + mm.size - 1n, `${ctx.traits.state.iomem.mmcfgName} 0000 [bus 00-${buses.toString(16).padStart(2, '0')}]`, true, 'arch/x86/pci/mmconfig-shared.c pci_mmconfig_alloc()'));
}

/** late_initcall: the HPET and Local APIC resources. */
function lateInitcallResources(root: Resource, ctx: BootContext, acpiOff: boolean): void {
  // late_initcall(hpet_insert_resource) (arch/x86/kernel/acpi/boot.c): "HPET %u" of the ACPI HPET table's
  // sequence 0, [hpet_address, +1K); inserted after PNP0103:00, so it holds it
  if (!acpiOff) insertResource(root, res(HPET.base, HPET.base + 0x3ffn, 'HPET 0', false, 'arch/x86/kernel/acpi/boot.c acpi_parse_hpet(), hpet_insert_resource()'));
  // late_initcall(lapic_insert_resource) (arch/x86/kernel/apic/apic.c): [apic_phys, +PAGE_SIZE) "Local APIC";
  // on 6.12+ the start is the fixmap's virtual address, beyond iomem_resource on x86_64, so nothing is inserted
  if (ctx.traits.state.iomem.lapicAt === 'phys') insertResource(root, res(LAPIC_BASE, LAPIC_BASE + 0xfffn, 'Local APIC', true, 'arch/x86/kernel/apic/apic.c lapic_insert_resource()'));
}

/** The resources the tree holds, depth first, with their depth (r_show: MAX_IORES_LEVEL 5). */
export function flattenIomem(root: Resource): Array<{ readonly r: Resource; readonly depth: number }> {
  const out: Array<{ r: Resource; depth: number }> = [];
  const walk = (p: Resource, depth: number): void => {
    for (const c of p.children) {
      out.push({ r: c, depth: Math.min(depth, 4) });
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** The iomem fields: "<start>-<end> : <name>" (kernel/resource.c r_show, "%0*llx" width 8) with its depth. */
export function iomemResources(state: BootState, ctx: BootContext): StateField[] {
  return iomemFields(iomemTree(state, ctx));
}

/** The fields of a resource tree (iomemResources; the 3.0.1 tree of sim/stages/old/state-30-proc.ts). */
export function iomemFields(root: Resource): StateField[] {
  const hex = (x: bigint): string => x.toString(16).padStart(8, '0');
  const out: StateField[] = [];
  for (const { r, depth } of flattenIomem(root)) {
    const range = `${hex(r.start)}-${hex(r.end)}`;
    const explain: ExplainTerm[] = [{ name: r.name, value: range, source: r.why }, { name: `depth, under ${r.parent?.name ?? 'iomem_resource'}`, value: depth, source: 'kernel/resource.c r_show(), __insert_resource()' }];
    out.push({ family: 'iomem', key: `${range} : ${r.name}`, value: `depth ${depth}`, explain });
  }
  return out;
}
