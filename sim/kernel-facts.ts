// What the simulator knows about one pinned kernel build. Everything here is
// extracted from the Debian package by qemu-scripts/kernel/facts.ts, never from a log.
import type { Arch } from './types.ts';

/** One package file behind a catalog entry, pinned by sha256. */
export interface PinnedPackage {
  readonly package: string;
  readonly version: string;
  readonly suite: string;
  readonly sha256: string;
}

/** The hand-written header of goldens/kernels/<id>.yaml. */
export interface KernelPin extends PinnedPackage {
  readonly id: string;
  readonly arch: Arch;
  /** `uname -r` of the build. */
  readonly release: string;
  /** Path of the bzImage inside the image package. */
  readonly image: string;
  /** Where the build's config sits; 7.2 keeps it in a sibling package. */
  readonly config: { readonly package: string; readonly sha256: string; readonly path: string };
}

/** A struct size with where it came from: BTF, or a derivation from source and config. */
export interface StructSize {
  readonly bytes: number;
  /** 'btf' or a one-line derivation, e.g. "include/linux/mm_types.h (6.1): 8 words on 32-bit". */
  readonly source: string;
}

/** Facts extracted from the package. The extractor owns the exact shape; see facts.ts. */
export interface KernelFacts {
  /** The "Linux version …" banner, as in the image. */
  readonly banner: string;
  /** Config options that matter to the simulator: name without CONFIG_ → value ('y', 'm', number or string). */
  readonly config: Readonly<Record<string, string>>;
  /** Compression of the bzImage payload. */
  readonly compression: string;
  /** Section layout behind the Memory: line, in bytes. */
  readonly image: Readonly<Record<string, number>>;
  /** Size of .data..percpu in bytes (the static percpu area). */
  readonly staticPercpuBytes: number;
  /** Struct sizes the stages need, e.g. page, pglist_data. */
  readonly structs: Readonly<Record<string, StructSize>>;
}

export interface KernelEntry extends KernelPin {
  /** Absent until `bootsim kernel facts <id>` has run. */
  readonly facts: KernelFacts | undefined;
  /** The catalog file this entry was read from. */
  readonly file: string;
}
