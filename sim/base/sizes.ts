// Sizes in QEMU's -m syntax, restricted to what profiles allow: an integer with a K, M, G or T suffix.
// QEMU's own parser (util/cutils.c, qemu_strtosz) is laxer: lowercase suffixes, fractions and bare
// numbers (read as MiB by -m but as bytes by memory-backend-ram size=). One strict form keeps
// memoryText meaning the same thing in both places it is passed.

export const SZ_1K = 1024;
export const SZ_1M = 1024 * SZ_1K;
export const SZ_1G = 1024 * SZ_1M;
export const SZ_1T = 1024 * SZ_1G;

export type SizeSuffix = 'K' | 'M' | 'G' | 'T';

export const SIZE_UNITS: Readonly<Record<SizeSuffix, number>> = { K: SZ_1K, M: SZ_1M, G: SZ_1G, T: SZ_1T };

/** The accepted spelling. A leading zero is refused so that "0512M" cannot be read as octal by anyone. */
export const SIZE_RE = /^(0|[1-9][0-9]*)([KMGT])$/;

/** What the accepted spelling looks like, for messages. */
export const SIZE_EXPECTED = 'a size like 512M or 4G (integer with K, M, G or T)';

/** Bytes of a size in the accepted spelling, as a bigint so that no spelling can overflow; undefined if not accepted. */
export function parseSize(text: string): bigint | undefined {
  const m = SIZE_RE.exec(text);
  if (!m) return undefined;
  return BigInt(m[1]!) * BigInt(SIZE_UNITS[m[2] as SizeSuffix]);
}

/** The shortest accepted spelling of a byte count, e.g. 3221225472 → "3G"; undefined if not a multiple of 1K. */
export function formatSize(bytes: number | bigint): string | undefined {
  const b = BigInt(bytes);
  if (b === 0n) return '0K';
  for (const s of ['T', 'G', 'M', 'K'] as const) {
    const unit = BigInt(SIZE_UNITS[s]);
    if (b % unit === 0n) return `${b / unit}${s}`;
  }
  return undefined;
}

/** The accepted spelling a near miss probably meant ("512m", "512MB", "512 MiB", "1.5G"), if there is one. */
export function suggestSize(text: string): string | undefined {
  const unit = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgt])(?:i?b)?$/i.exec(text.trim());
  if (!unit) return undefined;
  const [, num, suffix] = unit as unknown as [string, string, string];
  const scale = SIZE_UNITS[suffix.toUpperCase() as SizeSuffix];
  if (!num.includes('.')) return `${BigInt(num)}${suffix.toUpperCase()}`;
  // A fraction: only worth suggesting when it lands on a whole number of K.
  const [whole, frac] = num.split('.') as [string, string];
  const denom = 10n ** BigInt(frac.length);
  const scaled = (BigInt(whole) * denom + BigInt(frac)) * BigInt(scale);
  return scaled % denom === 0n ? formatSize(scaled / denom) : undefined;
}
