// Reads the pinned kernel catalog, goldens/kernels/<id>.yaml.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, isMap, type Document } from 'yaml';
import { BootsimError, type SourcePos } from './errors.ts';
import { kernelsDir, displayPath } from './paths.ts';
import type { KernelEntry, KernelFacts } from '../sim/kernel-facts.ts';
import type { Arch } from '../sim/types.ts';

export type KernelCatalogCode = 'KERNEL_UNKNOWN' | 'KERNEL_FILE_INVALID' | 'KERNEL_FIELD_INVALID' | 'KERNEL_NO_FACTS';

export class KernelCatalogError extends BootsimError<KernelCatalogCode> {}

const SHA256 = /^[0-9a-f]{64}$/;

function posOf(doc: Document, file: string, key: string): SourcePos {
  const node = isMap(doc.contents) ? doc.contents.items.find((p) => String((p.key as { value?: unknown })?.value) === key) : undefined;
  const range = (node?.value as { range?: [number, number, number] } | undefined)?.range;
  if (!range) return { file };
  return { file, ...lineCol(readFileSync(file, 'utf8'), range[0]) };
}

function lineCol(src: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) { line++; last = i; }
  return { line, col: offset - last };
}

function str(doc: Document, file: string, obj: Record<string, unknown>, key: string, re?: RegExp): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.length === 0 || (re && !re.test(v))) {
    throw new KernelCatalogError('KERNEL_FIELD_INVALID', `${key}: expected ${re ? `a string matching ${re}` : 'a non-empty string'}, got ${JSON.stringify(v)}`, { pos: posOf(doc, displayPath(file), key) });
  }
  return v;
}

/** Reads one catalog file. */
export function readKernelFile(file: string): KernelEntry {
  const src = readFileSync(file, 'utf8');
  const doc = parseDocument(src);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new KernelCatalogError('KERNEL_FILE_INVALID', `not valid YAML: ${e.message}`, { pos: { file: displayPath(file), ...(e.linePos?.[0] ?? {}) } });
  }
  const obj = doc.toJS() as Record<string, unknown> | null;
  if (!obj || typeof obj !== 'object') throw new KernelCatalogError('KERNEL_FILE_INVALID', 'expected a mapping', { pos: { file: displayPath(file) } });
  const arch = str(doc, file, obj, 'arch', /^(x86_64|i386)$/) as Arch;
  const cfg = (obj.config ?? {}) as Record<string, unknown>;
  const entry: KernelEntry = {
    id: str(doc, file, obj, 'id'),
    arch,
    package: str(doc, file, obj, 'package'),
    version: str(doc, file, obj, 'version'),
    suite: str(doc, file, obj, 'suite'),
    sha256: str(doc, file, obj, 'sha256', SHA256),
    release: str(doc, file, obj, 'release'),
    image: str(doc, file, obj, 'image'),
    config: { package: str(doc, file, cfg, 'package'), sha256: str(doc, file, cfg, 'sha256', SHA256), path: str(doc, file, cfg, 'path') },
    facts: (obj.facts as KernelFacts | undefined) ?? undefined,
    file,
  };
  const expected = path.basename(file, '.yaml');
  if (entry.id !== expected) throw new KernelCatalogError('KERNEL_FIELD_INVALID', `id: expected "${expected}" (the file name), got "${entry.id}"`, { pos: posOf(doc, displayPath(file), 'id') });
  return entry;
}

/** The ids in the catalog, sorted. */
export function kernelIds(dir: string = kernelsDir): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/** Reads one entry by id; an unknown id is a coded error listing the known ones. */
export function loadKernel(id: string, dir: string = kernelsDir): KernelEntry {
  const ids = kernelIds(dir);
  if (!ids.includes(id)) throw new KernelCatalogError('KERNEL_UNKNOWN', `kernel "${id}" is not in the catalog (${displayPath(dir)}); known: ${ids.join(', ')}`);
  return readKernelFile(path.join(dir, `${id}.yaml`));
}

/** Reads an entry and insists that its facts have been extracted. */
export function loadKernelWithFacts(id: string, dir: string = kernelsDir): KernelEntry & { facts: KernelFacts } {
  const k = loadKernel(id, dir);
  if (!k.facts) throw new KernelCatalogError('KERNEL_NO_FACTS', `${displayPath(k.file)}: no facts yet; run \`npx bootsim kernel facts ${id}\``);
  return k as KernelEntry & { facts: KernelFacts };
}
