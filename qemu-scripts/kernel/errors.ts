// The one error family of `bootsim kernel facts`: what the package did not look like.
import { BootsimError } from '../../sim/base/errors.ts';

export type FactsErrorCode =
  /** Not a bzImage: no "HdrS" magic, a boot protocol older than 2.08, or no payload. */
  | 'NOT_BZIMAGE'
  /** The payload or a structure inside the image ends before its header says it does. */
  | 'TRUNCATED'
  /** The payload is compressed with a method this extractor cannot decompress. */
  | 'UNSUPPORTED_COMPRESSION'
  /** The decompressor rejected the payload. */
  | 'DECOMPRESS_FAILED'
  /** Not a little-endian ELF32/ELF64 file. */
  | 'NOT_ELF'
  /** A section the linker script promises is absent. */
  | 'SECTION_MISSING'
  /** The sections do not sit as arch/x86/kernel/vmlinux.lds.S places them. */
  | 'LAYOUT_UNEXPECTED'
  /** The .BTF section is malformed, or a struct is missing or ambiguous. */
  | 'BTF_INVALID'
  /** The DWARF of a debug vmlinux is malformed, uses a form this reader does not read, or a struct is ambiguous. */
  | 'DWARF_INVALID'
  /** No single `Linux version <release> …` banner in the image. */
  | 'BANNER_MISSING'
  /** The config file is not a kernel .config. */
  | 'CONFIG_INVALID'
  /** A package file named by the catalog is not where it should be. */
  | 'FILE_MISSING'
  /** The catalog file cannot take a facts block. */
  | 'ENTRY_INVALID';

export class FactsError extends BootsimError<FactsErrorCode> {}

export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
