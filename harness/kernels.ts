// Reads the pinned kernel catalog, goldens/kernels/<id>.yaml.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as v from 'valibot';
import path from 'node:path';
import { BootsimError } from '../sim/base/errors.ts';
import { kernelsDir, displayPath, repoRoot } from '../sim/base/paths.ts';
import { parseYamlWithSchema } from '../sim/base/yaml-schema.ts';
import { DebianKernelFileSchema, KernelFileSchema, LocalKernelFileSchema, type KernelEntry, type KernelFacts } from '../sim/kernel-facts.ts';

/** KERNEL_FIELD_INVALID: the hand-written pin; KERNEL_FACTS_INVALID: the facts: block the extractor wrote. */
/** KERNEL_FACTS_ABSENT: a local build whose facts lack some KernelFacts (each named with its reason). */
export type KernelCatalogCode = 'KERNEL_UNKNOWN' | 'KERNEL_FILE_INVALID' | 'KERNEL_FIELD_INVALID' | 'KERNEL_FACTS_INVALID' | 'KERNEL_NO_FACTS' | 'KERNEL_FACTS_ABSENT';

export class KernelCatalogError extends BootsimError<KernelCatalogCode> {}

// Parsing a facts file takes about 170 ms (its tables are large) and a conformance run reads each
// kernel once per profile: entries are kept per file while its size and mtime stay the same.
const readCache = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly entry: KernelEntry }>();

/** Reads one catalog file, validated against KernelFileSchema (sim/kernel-facts.ts) field by field. */
export function readKernelFile(file: string): KernelEntry {
  const st = statSync(file);
  const hit = readCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.entry;
  const entry = fromJsonCache(file, st) ?? parseKernelFile(file);
  readCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, entry });
  return entry;
}

// Across processes, the validated value is kept as JSON beside the build (dist/facts-cache/, never
// committed), one entry per YAML file, named by its id and a hash of its absolute path (a copy of
// 6.1-amd64.yaml in a test's temporary folder has its own entry), holding that path and the YAML's
// size and mtime: `bootsim sim` then starts without the YAML parse. The cached value is validated
// by the same schema again; a stale, unreadable or invalid entry, or one of another path, is
// ignored and the YAML is read as before.
const jsonCacheDir = path.join(repoRoot, 'dist', 'facts-cache');
const JsonCacheSchema = v.object({ file: v.string(), mtimeMs: v.number(), size: v.number(), value: KernelFileSchema });

/** The facts cache entry of a catalog file: dist/facts-cache/<id>-<hash of its absolute path>.json. */
export function jsonCachePath(file: string, dir: string = jsonCacheDir): string {
  const abs = path.resolve(file);
  return path.join(dir, `${path.basename(abs, '.yaml')}-${createHash('sha256').update(abs).digest('hex').slice(0, 16)}.json`);
}

function fromJsonCache(file: string, st: { mtimeMs: number; size: number }): KernelEntry | undefined {
  try {
    const c = v.safeParse(JsonCacheSchema, JSON.parse(readFileSync(jsonCachePath(file), 'utf8')));
    if (!c.success || c.output.file !== path.resolve(file) || c.output.mtimeMs !== st.mtimeMs || c.output.size !== st.size) return undefined;
    if (c.output.value.id !== path.basename(file, '.yaml')) return undefined;
    return entryOf(c.output.value, file);
  } catch {
    return undefined;
  }
}

function toJsonCache(file: string, value: unknown): void {
  try {
    const st = statSync(file);
    mkdirSync(jsonCacheDir, { recursive: true });
    const target = jsonCachePath(file);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ file: path.resolve(file), mtimeMs: st.mtimeMs, size: st.size, value }));
    renameSync(tmp, target);
    entryFiles.set(target, path.resolve(file));
    pruneJsonCache();
  } catch {
    // a read-only tree only loses the speed-up
  }
}

// The YAML file each entry holds, as this process wrote or first read it: an entry's name is the hash of
// that file's path (jsonCachePath), so the path it holds never changes, and a prune need not parse every
// entry (some 30 KB of JSON each) again on every write.
const entryFiles = new Map<string, string>();

// Entries whose YAML is gone (a test's temporary folder) or of the old basename-only form are removed
// when an entry is written (rarely: only after a YAML parse), so the folder does not grow with them.
function pruneJsonCache(): void {
  for (const name of readdirSync(jsonCacheDir)) {
    if (!name.endsWith('.json')) continue;
    const entry = path.join(jsonCacheDir, name);
    let file = entryFiles.get(entry);
    if (file === undefined) {
      try {
        const c = JSON.parse(readFileSync(entry, 'utf8')) as { file?: unknown };
        if (typeof c.file === 'string' && jsonCachePath(c.file) === entry) entryFiles.set(entry, (file = c.file));
      } catch {
        // unreadable: removed below
      }
    }
    if (file !== undefined && existsSync(file)) continue;
    entryFiles.delete(entry);
    rmSync(entry, { force: true });
  }
}

function parseKernelFile(file: string): KernelEntry {
  const shown = displayPath(file);
  const src = readFileSync(file, 'utf8');
  // the two forms are told apart by the local: key, so a message names the fields of the right one
  const r = /^local:/m.test(src) ? parseYamlWithSchema(LocalKernelFileSchema, src, shown) : parseYamlWithSchema(DebianKernelFileSchema, src, shown);
  if (!r.ok) {
    const p = r.problem;
    const code = p.kind === 'yaml' || p.path.length === 0 ? 'KERNEL_FILE_INVALID' : p.path[0] === 'facts' ? 'KERNEL_FACTS_INVALID' : 'KERNEL_FIELD_INVALID';
    const hint = code === 'KERNEL_FACTS_INVALID' ? `; the facts are written by \`npx bootsim kernel facts ${path.basename(file, '.yaml')}\`` : '';
    throw new KernelCatalogError(code, `${p.message}${hint}`, { pos: p.pos });
  }
  toJsonCache(file, r.value);
  const expected = path.basename(file, '.yaml');
  if (r.value.id !== expected) throw new KernelCatalogError('KERNEL_FIELD_INVALID', `id: expected "${expected}" (the file name), got "${r.value.id}"`, { pos: { file: shown, line: src.split('\n').findIndex((l) => l.startsWith('id:')) + 1, col: 5 } });
  return entryOf(r.value, file);
}

/** A validated file as an entry: a local build's facts are complete KernelFacts, or kept apart as partialFacts. */
function entryOf(value: v.InferOutput<typeof KernelFileSchema>, file: string): KernelEntry {
  if (!('local' in value)) {
    const { facts, ...pin } = value;
    return { ...pin, facts, file };
  }
  const { facts, ...pin } = value;
  if (facts === undefined || 'absent' in facts) return { ...pin, facts: undefined, partialFacts: facts, file };
  return { ...pin, facts, file };
}

/** The ids in the catalog, sorted. */
export function kernelIds(dir: string = kernelsDir): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/**
 * Whether kernelIds(dir) holds `id`: an id that names one entry of the folder is in it, so the folder
 * is listed only when there is no such file (a listing per check was 3-4 readdirs per profile of a
 * conformance run: the loader, its envelope check, the simulator).
 */
export function inCatalog(id: string, dir: string = kernelsDir): boolean {
  return (/^[^/\\]+$/.test(id) && existsSync(path.join(dir, `${id}.yaml`))) || kernelIds(dir).includes(id);
}

/** Reads one entry by id; an unknown id is a coded error listing the known ones. */
export function loadKernel(id: string, dir: string = kernelsDir): KernelEntry {
  if (!inCatalog(id, dir)) throw new KernelCatalogError('KERNEL_UNKNOWN', `kernel "${id}" is not in the catalog (${displayPath(dir)}); known: ${kernelIds(dir).join(', ')}`);
  return readKernelFile(path.join(dir, `${id}.yaml`));
}

/** Reads an entry and insists that its facts have been extracted. */
export function loadKernelWithFacts(id: string, dir: string = kernelsDir): KernelEntry & { facts: KernelFacts } {
  const k = loadKernel(id, dir);
  if (!k.facts && k.partialFacts) {
    const absent = Object.entries(k.partialFacts.absent).map(([f, why]) => `${f} (${why})`).join('; ');
    throw new KernelCatalogError('KERNEL_FACTS_ABSENT', `${displayPath(k.file)}: this build lacks facts the simulator needs: ${absent}`);
  }
  if (!k.facts) throw new KernelCatalogError('KERNEL_NO_FACTS', `${displayPath(k.file)}: no facts yet; run \`npx bootsim kernel facts ${id}\``);
  return k as KernelEntry & { facts: KernelFacts };
}
