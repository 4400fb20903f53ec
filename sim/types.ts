// Types shared by the simulated boot and the harness. Stages are pure:
// (state, ctx) => { state, lines }, as shared/STYLE.md §2 describes.

/** One term a printed number was built from, with the rule it comes from (for `bootsim explain`). */
export interface ExplainTerm {
  /** What the term is, e.g. "NODE_DATA(0)", "vmemmap for section 3", "first 1 MiB". */
  readonly name: string;
  /** Its value, in the unit the field prints (pages, K, bytes, an address). */
  readonly value: number | bigint | string;
  /** The rule behind it: a one-line citation such as "mm/mm_init.c: defer_init() (6.1)". */
  readonly source: string;
}

/** One line the simulated kernel prints, with the stage and format that printed it. */
export interface DmesgLine {
  /** The stage module that printed it, e.g. 'e820', 'zones'. */
  readonly stage: string;
  /** The catalog family id of the message, e.g. 'e820.entry', 'zones.range'. */
  readonly fmt: string;
  /** The text exactly as the kernel prints it, without the timestamp. */
  readonly text: string;
  /** For each printed field (catalog field name), the terms it was built from. */
  readonly explain?: Readonly<Record<string, readonly ExplainTerm[]>>;
}

export type Arch = 'x86_64' | 'i386';
export type MachineType = 'pc' | 'q35';

/** One NUMA node of a profile, normalised. */
export interface NumaNodeSpec {
  readonly memoryBytes: number;
  /** The size as written in the profile, e.g. "2G"; passed to QEMU unchanged. */
  readonly memoryText: string;
  readonly cpus: readonly number[];
}

/** A validated, normalised machine profile: the one spec that feeds QEMU and the simulator. */
export interface MachineSpec {
  readonly name: string;
  readonly kernel: string;
  readonly machine: MachineType;
  readonly memoryBytes: number;
  /** The size as written in the profile, e.g. "512M"; passed to QEMU unchanged. */
  readonly memoryText: string;
  readonly cpus: number;
  readonly cpu: string | undefined;
  readonly numa: readonly NumaNodeSpec[] | undefined;
  readonly cmdline: string | undefined;
  /**
   * What runs after the boot: 'state' boots with the probe initramfs (qemu-scripts/initramfs/), whose
   * /init dumps /proc and /sys/kernel/slab into state.log and powers off. Absent: no initrd, the
   * boot ends in the VFS panic.
   */
  readonly probe?: 'state';
  /** The file the profile came from. */
  readonly file: string;
}
