// `bootsim kernel facts <id>`: what the simulator knows about one pinned build, derived from
// the Debian package alone (the bzImage and the config), and written into the facts: block of
// goldens/kernels/<id>.yaml. Never reads a boot log.
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { displayPath } from '../../sim/base/paths.ts';
import type { KernelFacts, KernelPin, PartialKernelFacts } from '../../sim/kernel-facts.ts';
import { parseKernelVersion, seriesTraits } from '../../sim/traits.ts';
import { extractVmlinux } from './bzimage.ts';
import { parseElf, section, findSection, sectionBytes, type ElfFile } from './elf.ts';
import { parseBtf, structSize } from './btf.ts';
import { findKallsyms } from './kallsyms.ts';
import { findBootLists } from './boot-lists.ts';
import { deriveLayout } from './layout.ts';
import { findRealModeBlob } from './realmode.ts';
import { extractParams } from './params.ts';
import { findMcountLoc } from './mcount.ts';
import { findTraceEvents, traceEventLayout } from './trace-events.ts';
import { parseKconfig, selectConfig, sha256Hex } from './kconfig.ts';
import { btfStructs, deriveStructs32, dwarfStructs, BTF_STRUCTS, BTF_UNIONS } from './structs.ts';
import { dwarfSizes } from './dwarf.ts';
import { FactsError } from './errors.ts';

export { FactsError } from './errors.ts';
export type { FactsErrorCode } from './errors.ts';

const EM_386 = 3;
const EM_X86_64 = 62;

/**
 * Extracts the facts of one build. `imageRoot` is the extracted image package (pin.image is
 * relative to it); `configRoot` the package holding the config (pin.config.path), the same
 * directory except on 7.2. Reads files; touches no network.
 */
export async function extractFacts(pin: KernelPin, imageRoot: string, configRoot: string, debugVmlinux?: string): Promise<KernelFacts> {
  const imageFile = path.join(imageRoot, pin.image);
  const configFile = path.join(configRoot, pin.config.path);
  for (const [f, what] of [[imageFile, `the image of ${pin.package}`], [configFile, `the config in ${pin.config.package}`]] as const) {
    if (!existsSync(f)) throw new FactsError('FILE_MISSING', `expected ${what} at ${f}, got no such file`, { pos: { file: f } });
  }
  if (pin.debug && (debugVmlinux === undefined || !existsSync(debugVmlinux))) {
    throw new FactsError('FILE_MISSING', `expected the debug vmlinux of ${pin.debug.package} (${pin.debug.path}), got ${debugVmlinux ?? 'none'}; \`npx bootsim kernel fetch ${pin.id}\` extracts it`, { pos: { file: debugVmlinux ?? pin.debug.path } });
  }
  return extractFactsFromFiles(pin, imageFile, configFile, pin.debug ? debugVmlinux : undefined);
}

/** What a build is, for the extractor: its arch, version and `uname -r`. */
type BuildIdentity = Pick<KernelPin, 'arch' | 'version' | 'release'>;

/** The facts of a bzImage and its config (a package's, or a local build's: facts-local.ts). */
export async function extractFactsFromFiles(pin: BuildIdentity, imageFile: string, configFile: string, debugVmlinux?: string): Promise<KernelFacts> {
  const configText = await readFile(configFile, 'utf8');
  const kconfig = parseKconfig(configText, configFile);
  const config = selectConfig(kconfig);

  const { header, compression, vmlinux } = await extractVmlinux(await readFile(imageFile), imageFile);
  const elfName = `${imageFile} (vmlinux)`;
  const elf = parseElf(vmlinux, elfName);
  const wantMachine = pin.arch === 'x86_64' ? EM_X86_64 : EM_386;
  if (elf.machine !== wantMachine || elf.elfClass !== (pin.arch === 'x86_64' ? 64 : 32)) {
    throw new FactsError('LAYOUT_UNEXPECTED', `expected an ELF${pin.arch === 'x86_64' ? 64 : 32} e_machine ${wantMachine} image for arch ${pin.arch}, got ELF${elf.elfClass} e_machine ${elf.machine}`, { pos: { file: elfName } });
  }
  const image = deriveLayout(elf, seriesTraits(parseKernelVersion(pin.release)).smpLocks, elfName);
  if (pin.arch === 'i386' && config.PAGE_OFFSET !== undefined && BigInt(image.loadOffset) !== BigInt(config.PAGE_OFFSET)) {
    throw new FactsError('LAYOUT_UNEXPECTED', `expected LOAD_OFFSET = CONFIG_PAGE_OFFSET ${config.PAGE_OFFSET} on i386, got ${image.loadOffset}`, { pos: { file: elfName } });
  }

  const banner = findBanner(vmlinux, pin.release, elfName);
  return {
    banner,
    compression,
    bzImage: {
      protocol: `${header.protocol >> 8}.${(header.protocol & 0xff).toString().padStart(2, '0')}`,
      setupSects: header.setupSects,
      prefAddress: header.prefAddress,
      kernelAlignment: header.kernelAlignment,
      relocatable: header.relocatable,
      initSize: header.initSize,
    },
    image,
    // PERCPU_INPUT puts __per_cpu_start at the start of .data..percpu and __per_cpu_end at its
    // end, and pcpu_embed_first_chunk's static_size is __per_cpu_end − __per_cpu_start.
    staticPercpuBytes: section(elf, '.data..percpu', elfName).size,
    realModeBlobBytes: realModeBlobBytes(elf, vmlinux, elfName),
    structs: debugVmlinux !== undefined ? await debugStructsOf(debugVmlinux, pin, config, banner) : structsOf(elf, vmlinux, pin, config, elfName),
    params: extractParams(elf, vmlinux, elfName),
    ...mcountLocOf(elf, vmlinux, config, elfName),
    ...traceEventsOf(elf, vmlinux, pin, config, kconfig.get('KALLSYMS_ABSOLUTE_PERCPU') === 'y', elfName),
    ...bootListsOf(elf, vmlinux, pin, config, kconfig.get('KALLSYMS_ABSOLUTE_PERCPU') === 'y', elfName),
    configSha256: sha256Hex(configText),
    config,
  };
}

// Found by its sorted shape, so only where scripts/sorttable.c sorted it (BUILDTIME_MCOUNT_SORT).
function mcountLocOf(elf: ElfFile, vmlinux: Uint8Array, config: Record<string, string>, file: string): Pick<KernelFacts, 'mcountLoc'> {
  if (config.BUILDTIME_MCOUNT_SORT !== 'y') return {};
  const m = findMcountLoc(elf, vmlinux, file);
  return m ? { mcountLoc: m } : {};
}

// Read only where the events exist (CONFIG_EVENT_TRACING) and the .BTF gives their layout.
function traceEventsOf(elf: ElfFile, vmlinux: Uint8Array, pin: BuildIdentity, config: Record<string, string>, absolutePercpu: boolean, file: string): Pick<KernelFacts, 'traceEvents'> {
  const btf = findSection(elf, '.BTF');
  if (config.EVENT_TRACING !== 'y' || !btf) return {};
  // scripts/link-vmlinux.sh kallsyms(): 7.2 passes --pc-relative on 64-bit; 6.12 and 6.18 give base-relative
  // offsets, 6.12 with --absolute-percpu where CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP; the option is gone
  // with the x86_64 percpu rework, "x86/percpu: … standard per-CPU addressing" (Brian Gerst), 6.15). The
  // kallsyms layouts of other versions were not read, and only the late Memory: line of 6.12 and later needs
  // these counts
  const [major = 0, minor = 0] = pin.version.split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 12)) return {};
  const offsets = major >= 7 ? 'pc-relative' : absolutePercpu ? 'absolute-percpu' : 'base-relative';
  const t = findTraceEvents(elf, vmlinux, traceEventLayout(sectionBytes(vmlinux, btf, file), `${file} .BTF`), offsets, file);
  return t ? { traceEvents: t } : {};
}

// Read where both lists exist (KPROBES, DYNAMIC_DEBUG) on the kallsyms layouts read (6.12 and later, see traceEventsOf).
function bootListsOf(elf: ElfFile, vmlinux: Uint8Array, pin: BuildIdentity, config: Record<string, string>, absolutePercpu: boolean, file: string): Pick<KernelFacts, 'bootLists'> {
  const btf = findSection(elf, '.BTF');
  if (config.KPROBES !== 'y' || config.DYNAMIC_DEBUG !== 'y' || !btf) return {};
  const [major = 0, minor = 0] = pin.version.split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 12)) return {};
  const offsets = major >= 7 ? 'pc-relative' : absolutePercpu ? 'absolute-percpu' : 'base-relative';
  const rodata = section(elf, '.rodata', file);
  const ks = findKallsyms(sectionBytes(vmlinux, rodata, file), rodata, offsets, file);
  const ddebug = structSize(parseBtf(sectionBytes(vmlinux, btf, file), `${file} .BTF`), '_ddebug', `${file} .BTF`);
  if (ddebug === undefined) throw new FactsError('BTF_INVALID', 'expected struct _ddebug in the .BTF (CONFIG_DYNAMIC_DEBUG=y), got none', { pos: { file } });
  return { bootLists: findBootLists(elf, vmlinux, ks, ddebug, file) };
}

// rmpiggy.S .incbin's the blob into .init.data; its framing is read in realmode.ts.
export function realModeBlobBytes(elf: ElfFile, vmlinux: Uint8Array, file: string): number {
  const initData = section(elf, '.init.data', file, 'arch/x86/realmode/rmpiggy.S');
  return findRealModeBlob(sectionBytes(vmlinux, initData, file), initData.addr, file).bytes;
}

export function structsOf(elf: ElfFile, vmlinux: Uint8Array, pin: Pick<KernelPin, 'arch' | 'version'>, config: Record<string, string>, file: string): KernelFacts['structs'] {
  const btf = findSection(elf, '.BTF');
  if (btf) return btfStructs(parseBtf(sectionBytes(vmlinux, btf, file), `${file} .BTF`), `${file} .BTF`);
  if (config.DEBUG_INFO_BTF === 'y') throw new FactsError('SECTION_MISSING', 'expected a .BTF section (CONFIG_DEBUG_INFO_BTF=y), got none', { pos: { file } });
  if (pin.arch !== 'i386') throw new FactsError('SECTION_MISSING', `expected a .BTF section on ${pin.arch}, got none`, { pos: { file } });
  // No BTF on the 686 flavours: each struct is laid out from the source and the config.
  return deriveStructs32(pin.version, config);
}

/**
 * The struct sizes of a 686 build from its -dbg package's DWARF (dwarf.ts), checked to be the
 * same build (its linux_banner is the image's), merged with the source derivations of
 * deriveStructs32: each derived struct the DWARF also defines must agree with it (and then takes
 * source 'dwarf'); one the DWARF lacks (its file is not built, e.g. kernel/dma/swiotlb.c without
 * SWIOTLB) keeps its derivation.
 */
async function debugStructsOf(file: string, pin: Pick<KernelPin, 'arch' | 'version' | 'release'>, config: Record<string, string>, banner: string): Promise<KernelFacts['structs']> {
  const buf = await readFile(file);
  const elf = parseElf(buf, file);
  const want = pin.arch === 'x86_64' ? EM_X86_64 : EM_386;
  if (elf.machine !== want) throw new FactsError('LAYOUT_UNEXPECTED', `expected a debug vmlinux of e_machine ${want}, got ${elf.machine}`, { pos: { file } });
  const debugBanner = findBanner(buf, pin.release, file);
  if (debugBanner !== banner) throw new FactsError('LAYOUT_UNEXPECTED', `expected the debug vmlinux of the same build (banner "${banner}"), got "${debugBanner}"`, { pos: { file } });
  const bytes = (name: string): Uint8Array => sectionBytes(buf, section(elf, name, file, 'a DWARF build (CONFIG_DEBUG_INFO)'), file);
  const line = findSection(elf, '.debug_line_str');
  const sizes = dwarfSizes({ info: bytes('.debug_info'), abbrev: bytes('.debug_abbrev'), str: bytes('.debug_str'), ...(line ? { lineStr: sectionBytes(buf, line, file) } : {}) }, new Set(BTF_STRUCTS), new Set(BTF_UNIONS), file);
  return withDerivations(dwarfStructs(sizes, file), pin.arch === 'i386' ? deriveStructs32(pin.version, config) : {}, file);
}

/**
 * The DWARF's struct sizes with the source derivations merged in: a derived struct the DWARF also
 * defines must have its size (DWARF_INVALID naming both otherwise) and keeps the DWARF's entry; one
 * the DWARF lacks keeps its derivation.
 */
export function withDerivations(fromDwarf: KernelFacts['structs'], derived: KernelFacts['structs'], file: string): KernelFacts['structs'] {
  const out = { ...fromDwarf };
  for (const [name, d] of Object.entries(derived)) {
    const got = out[name];
    if (got === undefined) out[name] = d;
    else if (got.bytes !== d.bytes) throw new FactsError('DWARF_INVALID', `struct ${name}: the DWARF gives ${got.bytes} bytes, the derivation ${d.bytes} (${d.source}); fix the derivation in qemu-scripts/kernel/structs.ts`, { pos: { file } });
  }
  return out;
}

/**
 * init/version.c: linux_banner = "Linux version " UTS_RELEASE " (" … ") " UTS_VERSION "\n".
 * Returns it without the newline; exactly one distinct such string, with a build number, must exist.
 */
export function findBanner(vmlinux: Uint8Array, release: string, file = 'vmlinux'): string {
  const buf = Buffer.from(vmlinux.buffer, vmlinux.byteOffset, vmlinux.byteLength);
  const needle = Buffer.from(`Linux version ${release} (`);
  const found = new Set<string>();
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
    const end = buf.indexOf(0, at);
    const s = buf.subarray(at, end < 0 ? buf.length : end).toString('latin1');
    if (s.endsWith('\n') && !s.slice(0, -1).includes('\n')) found.add(s.slice(0, -1));
  }
  // From 6.1 init/version.c first compiles a __weak linux_banner whose UTS_VERSION has no
  // build number ("# SMP …"); the strong one from version-timestamp.c ("#1 SMP …") wins the
  // final link, but the weak copy's bytes stay in .rodata. Keep the ones with a build number.
  for (const s of found) if (!/\) #\d+ /.test(s)) found.delete(s);
  if (found.size !== 1) {
    throw new FactsError('BANNER_MISSING', `expected one "Linux version ${release} (…)\\n" string, got ${found.size === 0 ? 'none' : [...found].map((s) => JSON.stringify(s)).join(', ')}`, { pos: { file } });
  }
  return found.values().next().value!;
}

/** True when two facts are the same data (as read back from YAML). */
export function factsEqual(a: KernelFacts | PartialKernelFacts, b: KernelFacts | PartialKernelFacts): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

// Fields written as 0x… so addresses read as addresses; YAML 1.2 core reads them back as numbers.
const HEX_PATHS: ReadonlyArray<readonly string[]> = [['image', 'symbols'], ['bzImage'], ['symbols']];
const HEX_KEYS_IN_BZIMAGE = new Set(['prefAddress', 'kernelAlignment', 'initSize']);

/**
 * Replaces the facts: block of a catalog file (or appends it). The hand-written header is
 * kept byte for byte: only the text of the facts: pair is replaced, and that text is made with
 * yaml's Document API. Writes a temporary file beside it and renames it over, so a reader
 * never sees half a file.
 */
export function writeFacts(entryFile: string, facts: KernelFacts | PartialKernelFacts): void {
  const src = readFileSync(entryFile, 'utf8');
  const doc = parseDocument(src);
  const where = displayPath(entryFile);
  if (doc.errors.length > 0) throw new FactsError('ENTRY_INVALID', `not valid YAML: ${doc.errors[0]!.message}`, { pos: { file: where } });
  if (!isMap(doc.contents)) throw new FactsError('ENTRY_INVALID', 'expected a mapping at the top', { pos: { file: where } });
  if (typeof doc.get('id') !== 'string') throw new FactsError('ENTRY_INVALID', 'expected the hand-written header (id, package, …) before facts', { pos: { file: where } });

  const out = new Document({});
  const node = out.createNode(JSON.parse(JSON.stringify(facts))) as YAMLMap;
  node.commentBefore = ' Written by `bootsim kernel facts` (qemu-scripts/kernel/facts.ts); the rules behind\n each value are in qemu-scripts/kernel/. Addresses are link-time physical (virtual − loadOffset).';
  for (const p of HEX_PATHS) {
    const m = node.getIn(p, true);
    if (!isMap(m)) continue;
    for (const item of m.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (isScalar(item.value) && typeof item.value.value === 'number' && (p[0] !== 'bzImage' || HEX_KEYS_IN_BZIMAGE.has(key))) item.value.format = 'HEX';
    }
  }
  const structs = node.get('structs', true);
  if (isMap(structs)) for (const item of structs.items) if (isMap(item.value)) item.value.flow = true;
  // one parameter a line, so a rebuild's diff reads as parameters added and removed
  const params = node.get('params', true);
  if (isMap(params)) for (const item of params.items) if (isSeq(item.value)) for (const e of item.value.items) if (isMap(e)) e.flow = true;
  (out.contents as YAMLMap).add(out.createPair('facts', node));
  const block = out.toString({ lineWidth: 0 });

  // Splice: everything before the facts: key, the new block, then whatever followed the old value.
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'facts');
  let text: string;
  if (pair) {
    const keyStart = (pair.key as Scalar).range![0];
    const lineStart = src.lastIndexOf('\n', keyStart - 1) + 1;
    const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? keyStart;
    const rest = src.slice(valueEnd);
    text = src.slice(0, lineStart) + block + (rest.trim() === '' ? '' : rest);
  } else {
    text = (src.endsWith('\n') || src === '' ? src : `${src}\n`) + block;
  }
  const tmp = `${entryFile}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, entryFile);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
