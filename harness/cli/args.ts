// Numeric options, bounded: a value is written in decimal digits (no "1e12", "0x10" or " 5") and
// lies in a range that says what the option can sensibly mean, so a typo cannot start a run that never ends.
import { UsageError } from './usage.ts';

/** The bounds of the numeric options, each with why. */
export const LIMITS = {
  /** bench: 200 runs take about a second per profile; 100,000 would take hours. */
  runs: { min: 1, max: 100_000 },
  /** capture: QEMU boots in parallel; more than 64 on any host only thrashes. */
  jobs: { min: 1, max: 64 },
  /** capture/evidence: seconds a boot may take; the slowest golden takes 30 s, an hour is the ceiling. */
  timeout: { min: 1, max: 3600 },
  /** evidence: boots per profile. */
  boots: { min: 1, max: 1000 },
  /** envelope: the PRNG seed of the draw (any 32-bit value that fits nine digits). */
  seed: { min: 0, max: 999_999_999 },
  /** envelope: profiles drawn; each simulates in a few ms, so 100,000 is minutes. */
  count: { min: 1, max: 100_000 },
} as const;

export type NumericOption = keyof typeof LIMITS;

/** A whole number in the option's bounds, or a UsageError saying what was expected and what came. */
export function boundedInt(option: NumericOption, text: string): number {
  const { min, max } = LIMITS[option];
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--${option}: expected a whole number from ${min} to ${max}, got "${shown}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`--${option}: expected a whole number from ${min} to ${max}, got ${n}`);
  return n;
}
