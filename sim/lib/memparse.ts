// lib/cmdline.c memparse(): simple_strtoull(ptr, &endptr, 0) then an optional K/M/G/T/P/E suffix
// (case-insensitive), each shifting by 10 more bits. Returns the value and the rest of the string.
import { u64 } from './sizes.ts';

export interface Parsed {
  readonly value: bigint;
  /** What follows the number and its suffix. */
  readonly rest: string;
  /** True when no digits were read (the kernel's `p == oldp`). */
  readonly empty: boolean;
}

/** lib/kstrtox.c _parse_integer_fixup_radix + simple_strtoull with base 0. */
export function simpleStrtoull(s: string): Parsed {
  let i = 0;
  let base = 10n;
  if (s[0] === '0') {
    if ((s[1] === 'x' || s[1] === 'X') && /[0-9a-fA-F]/.test(s[2] ?? '')) {
      base = 16n;
      i = 2;
    } else {
      base = 8n;
    }
  }
  let v = 0n;
  const start = i;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 16);
    if (Number.isNaN(d) || BigInt(d) >= base) break;
    v = u64(v * base + BigInt(d));
  }
  return { value: v, rest: s.slice(i), empty: i === 0 && start === 0 };
}

export function memparse(s: string): Parsed {
  const p = simpleStrtoull(s);
  const shifts: Record<string, bigint> = { k: 10n, m: 20n, g: 30n, t: 40n, p: 50n, e: 60n };
  const c = p.rest[0]?.toLowerCase();
  if (c !== undefined && c in shifts) {
    return { value: u64(p.value << shifts[c]!), rest: p.rest.slice(1), empty: p.empty };
  }
  return p;
}
