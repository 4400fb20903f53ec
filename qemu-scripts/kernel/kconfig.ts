// Reads a kernel .config (scripts/kconfig/confdata.c writes it) and keeps the options that the
// early memory-init stages depend on.
import { createHash } from 'node:crypto';
import { FactsError } from './errors.ts';
import { isKeptOption } from '../../sim/kept-options.ts';

/** Every option set in the file, name without CONFIG_ → value as written (strings unquoted). */
export type Kconfig = ReadonlyMap<string, string>;

/** Parses `CONFIG_X=value` lines; `# CONFIG_X is not set` and other comments are skipped. */
export function parseKconfig(text: string, file = '.config'): Kconfig {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) return;
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (!m) throw new FactsError('CONFIG_INVALID', `expected CONFIG_NAME=value or a # comment, got ${JSON.stringify(line.slice(0, 80))}`, { pos: { file, line: i + 1 } });
    let v = m[2]!;
    if (v.startsWith('"')) {
      if (!v.endsWith('"') || v.length < 2) throw new FactsError('CONFIG_INVALID', `CONFIG_${m[1]}: expected a closing quote, got ${v}`, { pos: { file, line: i + 1 } });
      v = v.slice(1, -1).replace(/\\(["\\])/g, '$1');
    }
    out.set(m[1]!, v);
  });
  // CONFIG_X86_32 arrived with the 2.6.24 arch/x86 merge; an arch/i386 config (2.6.11) has only CONFIG_X86
  if (!out.has('X86_64') && !out.has('X86_32') && !out.has('X86')) throw new FactsError('CONFIG_INVALID', 'expected an x86 kernel config (CONFIG_X86_64, CONFIG_X86_32 or CONFIG_X86), got none', { pos: { file } });
  return out;
}

/** A value as facts store it: hex numbers become decimal strings, the rest as written. */
export function normaliseValue(v: string): string {
  return /^0x[0-9a-f]+$/i.test(v) ? BigInt(v).toString(10) : v;
}

/** The kept options that are set, sorted by name. */
export function selectConfig(cfg: Kconfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...cfg.keys()].filter(isKeptOption).sort()) out[name] = normaliseValue(cfg.get(name)!);
  return out;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
