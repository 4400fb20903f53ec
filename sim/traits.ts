// KernelTraits: what the stages may branch on, derived once from the kernel's version and config
// (shared/STYLE.md §2). Stages never look at profile or catalog names.
import type { Arch } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';

export type KernelVersion = readonly [major: number, minor: number];

export interface KernelTraits {
  readonly arch: Arch;
  readonly version: KernelVersion;
  /** CONFIG_X86_PAE (i386 only; x86_64 is always 64-bit physical). */
  readonly pae: boolean;
  /** CONFIG_X86_5LEVEL: the build can run 5-level paging when the CPU has LA57. */
  readonly fiveLevel: boolean;
  /**
   * e820 message style. 'classic': "usable"/"reserved" after one space (5.10, 6.1, 6.12).
   * 'named': " System RAM"/" device reserved" after the space, `[gap …]` lines in tables and
   * no trailing space before " ==>" (arch/x86/kernel/e820.c of 7.2).
   */
  readonly e820Style: 'classic' | 'named';
  /** e820__end_ram_pfn counts E820_TYPE_ACPI as well as RAM (6.12 and 7.2; 5.10 and 6.1 RAM only). */
  readonly endPfnCountsAcpi: boolean;
}

/** Version of the build, from `release` ("6.1.0-56-amd64", "7.2.13+deb14-amd64"). */
export function parseKernelVersion(release: string): KernelVersion {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) throw new RangeError(`kernel release: expected "<major>.<minor>…", got ${JSON.stringify(release)}`);
  return [Number(m[1]), Number(m[2])];
}

export const versionAtLeast = (v: KernelVersion, major: number, minor: number): boolean =>
  v[0] > major || (v[0] === major && v[1] >= minor);

type KernelLike = Pick<KernelEntry, 'id' | 'arch' | 'release'> & { readonly facts?: Pick<KernelFacts, 'config'> | undefined };

/**
 * One config option, without CONFIG_: from `facts.config` once the extractor has run; until then
 * from what the catalog header already pins (arch, and the Debian flavour in the id: "686-pae").
 * Returns undefined when neither knows.
 */
export function kernelConfig(kernel: KernelLike, name: string): string | undefined {
  const cfg = kernel.facts?.config;
  if (cfg && Object.prototype.hasOwnProperty.call(cfg, name)) return cfg[name];
  if (cfg && Object.keys(cfg).length > 0) return undefined; // extracted config: absent means "is not set"
  switch (name) {
    case 'X86_64':
      return kernel.arch === 'x86_64' ? 'y' : undefined;
    case 'X86_32':
      return kernel.arch === 'i386' ? 'y' : undefined;
    case 'X86_PAE':
    case 'HIGHMEM64G':
      // Debian's i386 flavours: release "…-686-pae" is PAE/HIGHMEM64G, "…-686" is HIGHMEM4G.
      return kernel.arch === 'i386' && /-pae$/.test(kernel.release) ? 'y' : undefined;
    case 'X86_5LEVEL':
      // Debian amd64 sets X86_5LEVEL=y since 5.5; from 6.16 5-level support is unconditional.
      return kernel.arch === 'x86_64' ? 'y' : undefined;
    default:
      return undefined;
  }
}

export const configEnabled = (kernel: KernelLike, name: string): boolean => kernelConfig(kernel, name) === 'y';

export function deriveTraits(kernel: KernelLike): KernelTraits {
  const version = parseKernelVersion(kernel.release);
  return {
    arch: kernel.arch,
    version,
    pae: kernel.arch === 'i386' && configEnabled(kernel, 'X86_PAE'),
    fiveLevel: kernel.arch === 'x86_64' && (configEnabled(kernel, 'X86_5LEVEL') || versionAtLeast(version, 6, 16)),
    // Checked in the 6.12.115 and 7.2.13 sources; upstream reworded e820 output in between
    // ("x86/boot/e820" series, 6.16). Versions between 6.13 and 6.15 are taken as classic.
    e820Style: versionAtLeast(version, 6, 16) ? 'named' : 'classic',
    // 6.1.192: e820_end_pfn(limit, E820_TYPE_RAM); 6.12.115: e820__end_ram_pfn counts RAM and ACPI.
    endPfnCountsAcpi: versionAtLeast(version, 6, 12),
  };
}
