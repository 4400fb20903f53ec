// The facts of a local build (`bootsim kernel add`): a bzImage, its config and optionally the
// vmlinux it was made from. A build that has everything KernelFacts names (a modern kernel) is
// read exactly as the packages are (facts.ts extractFactsFromFiles). An old one (the seeds'
// 2.6.x and 3.0 builds) gets PartialKernelFacts: what exists is extracted by the same rules, the
// linker-script symbols come from the vmlinux's .symtab, and each fact that cannot be had is
// named in `absent` with the reason, never invented. Never reads a boot log.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FetchedKernel } from './fetch.ts';
import type { KernelFacts, LocalKernelEntry, PartialKernelFacts } from '../../sim/kernel-facts.ts';
import { parseKernelVersion, seriesTraits } from '../../sim/traits.ts';
import { extractFactsFromFiles, findBanner, realModeBlobBytes, structsOf } from './facts.ts';
import { detectCompression, decompressPayload, parseBzImageHeader, payloadOf } from './bzimage.ts';
import { parseElf, findSection, section, PT_LOAD, type ElfFile } from './elf.ts';
import { deriveLayout, START_KERNEL_MAP } from './layout.ts';
import { extractParams } from './params.ts';
import { parseKconfig, selectConfig, sha256Hex } from './kconfig.ts';
import { FactsError, hex } from './errors.ts';

const EM_386 = 3;
const EM_X86_64 = 62;

/**
 * The linker-script symbols kept from .symtab when they exist (arch/x86/kernel/vmlinux.lds.S and
 * the arch/i386, arch/x86_64 ones before the 2.6.24 merge; include/asm-generic/vmlinux.lds.h):
 * the image edges, the sections the Memory: line and the early reservations measure, and the era's
 * own markers (pg0 of 2.6.11 i386 head.S, the .x86_trampoline of 3.0), and contig_page_data.
 */
export const LINKER_SYMBOLS: readonly string[] = [
  '_text', '_stext', '_etext', '__start_rodata', '__end_rodata', '_sdata', '_edata',
  '__init_begin', '__init_end', '__per_cpu_load', '__per_cpu_start', '__per_cpu_end',
  '__smp_locks', '__smp_locks_end', '__bss_start', '__bss_stop', '__end_of_kernel_reserve',
  '__brk_base', '__brk_limit', '_end', 'pg0', 'x86_trampoline_start', 'x86_trampoline_end',
  // not a linker-script symbol: the FLATMEM node's pglist_data (mm/page_alloc.c), whose address
  // free_area_init_node() prints as "pgdat %p" in 2.6.34 and 3.0.1
  'contig_page_data',
  // nor these: the ACPI_SLEEP wakeup code's bounds (arch/x86_64/kernel/acpi/wakeup.S, 2.6.11), which
  // acpi_reserve_bootmem() checks against the one page it reserves (sim/stages/old/setup-memory-2611-x86_64.ts)
  'wakeup_start', 'wakeup_end',
];

/** A boot protocol as facts write it, e.g. "2.03". */
const protocolText = (p: number): string => `${p >> 8}.${(p & 0xff).toString().padStart(2, '0')}`;

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** The setup header of any bzImage (Documentation/x86/boot.txt): the fields its protocol has. */
export function legacyHeader(buf: Uint8Array, file: string): PartialKernelFacts['bzImage'] & { readonly protocolNumber: number } {
  if (buf.length < 0x264 || String.fromCharCode(buf[0x202]!, buf[0x203]!, buf[0x204]!, buf[0x205]!) !== 'HdrS') {
    throw new FactsError('NOT_BZIMAGE', `expected a bzImage with the setup header magic "HdrS" at 0x202, got ${buf.length < 0x206 ? `${buf.length} bytes` : JSON.stringify(String.fromCharCode(buf[0x202]!, buf[0x203]!, buf[0x204]!, buf[0x205]!))}`, { pos: { file } });
  }
  const protocol = u16(buf, 0x206);
  const raw = buf[0x1f1]!;
  return {
    protocolNumber: protocol,
    protocol: protocolText(protocol),
    setupSects: raw === 0 ? 4 : raw,
    // kernel_alignment and relocatable_kernel arrived with 2.05, pref_address and init_size with 2.10
    // (in the order of PartialKernelFactsSchema, so the file reads back byte for byte)
    ...(protocol >= 0x20a ? { prefAddress: u32(buf, 0x258) } : {}),
    ...(protocol >= 0x205 ? { kernelAlignment: u32(buf, 0x230), relocatable: buf[0x234] !== 0 } : {}),
    ...(protocol >= 0x20a ? { initSize: u32(buf, 0x260) } : {}),
  };
}

/**
 * The decompressed payload. From protocol 2.08 the header locates it (payload_offset/length);
 * before that the gzip member sits inside the protected-mode part after the decompressor
 * (arch/i386/boot/compressed/piggy: `gzip -f -9 < vmlinux.bin`), found by its magic and kept only
 * when it inflates.
 */
export async function payloadOfAny(buf: Uint8Array, protocol: number, setupSects: number, file: string): Promise<{ compression: KernelFacts['compression']; bytes: Uint8Array }> {
  if (protocol >= 0x20a) {
    const header = parseBzImageHeader(buf, file);
    const payload = payloadOf(buf, header);
    const compression = detectCompression(payload, file);
    return { compression, bytes: await decompressPayload(payload, compression, file) };
  }
  const start = (setupSects + 1) * 512;
  for (let at = start; at + 10 < buf.length; at++) {
    // RFC 1952: ID1 ID2, CM 8 (deflate), FLG without reserved bits
    if (buf[at] !== 0x1f || buf[at + 1] !== 0x8b || buf[at + 2] !== 8 || (buf[at + 3]! & 0xe0) !== 0) continue;
    try {
      return { compression: 'gzip', bytes: new Uint8Array(gunzipSync(buf.subarray(at))) };
    } catch {
      // a byte pattern in the decompressor's code, not the member
    }
  }
  throw new FactsError('NOT_BZIMAGE', `expected a gzip member after the ${setupSects} setup sectors (boot protocol ${protocolText(protocol)}), got none that inflates`, { pos: { file } });
}

const isElf = (b: Uint8Array): boolean => b.length > 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

/** The symbols of .symtab (Elf32_Sym / Elf64_Sym) whose names are wanted, by name. */
export function symtabSymbols(elf: ElfFile, buf: Uint8Array, wanted: ReadonlySet<string>, file: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const symtab = findSection(elf, '.symtab');
  if (!symtab) return out;
  const strtab = section(elf, '.strtab', file, 'a .symtab');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = elf.elfClass === 64 ? 24 : 16;
  if (symtab.offset + symtab.size > buf.length || strtab.offset + strtab.size > buf.length) throw new FactsError('TRUNCATED', `.symtab or .strtab ends past the file (${buf.length} bytes)`, { pos: { file } });
  for (let o = symtab.offset; o + size <= symtab.offset + symtab.size; o += size) {
    const nameOff = view.getUint32(o, true);
    let e = strtab.offset + nameOff;
    while (e < strtab.offset + strtab.size && buf[e] !== 0) e++;
    const name = Buffer.from(buf.subarray(strtab.offset + nameOff, e)).toString('latin1');
    if (!wanted.has(name)) continue;
    const value = elf.elfClass === 64 ? view.getBigUint64(o + 8, true) : BigInt(view.getUint32(o + 4, true));
    const prev = out.get(name);
    if (prev !== undefined && prev !== value) throw new FactsError('LAYOUT_UNEXPECTED', `expected one value for ${name} in .symtab, got ${hex(prev)} and ${hex(value)}`, { pos: { file } });
    out.set(name, value);
  }
  return out;
}

/**
 * The load offset of a vmlinux whose linker script has no AT() (PT_LOAD paddr = vaddr: arch/i386
 * before 2.6.2x, `. = __PAGE_OFFSET + 0x100000;`): the kernel still runs at __pa(x) = x − __PAGE_OFFSET,
 * which is CONFIG_PAGE_OFFSET where the option exists (2.6.16's VMSPLIT) and otherwise the constant
 * of include/asm-i386/page.h (2.6.11: `#define __PAGE_OFFSET (0xC0000000)`); on x86_64
 * __START_KERNEL_map (include/asm-x86_64/page.h, 2.6.11).
 */
function linkedWithoutAt(arch: LocalKernelEntry['arch'], config: Readonly<Record<string, string>>): bigint {
  if (arch === 'x86_64') return START_KERNEL_MAP;
  return config.PAGE_OFFSET !== undefined ? BigInt(config.PAGE_OFFSET) : 0xc0000000n;
}

/**
 * The LINKER_SYMBOLS of a System.map (`nm -n vmlinux` lines: "address type name"), checked against
 * the raw-binary payload it must belong to: objcopy -O binary starts the file at _text, so the
 * bytes at linux_banner − _text must be the banner ("Linux version "). Virtual addresses.
 */
export function systemMapSymbols(text: string, payload: Uint8Array, arch: LocalKernelEntry['arch'], file: string): Map<string, bigint> {
  const wanted = new Set([...LINKER_SYMBOLS, 'linux_banner']);
  const out = new Map<string, bigint>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-f]{8}|[0-9a-f]{16}) [A-Za-z] (\S+)$/.exec(line);
    if (!m) throw new FactsError('LAYOUT_UNEXPECTED', `expected a System.map line "address type name", got ${JSON.stringify(line.slice(0, 80))}`, { pos: { file, line: i + 1 } });
    if ((m[1]!.length === 16) !== (arch === 'x86_64')) throw new FactsError('LAYOUT_UNEXPECTED', `expected ${arch === 'x86_64' ? 16 : 8}-digit addresses for ${arch}, got ${m[1]}`, { pos: { file, line: i + 1 } });
    if (wanted.has(m[2]!) && !out.has(m[2]!)) out.set(m[2]!, BigInt(`0x${m[1]}`));
  });
  const text0 = out.get('_text');
  const banner = out.get('linux_banner');
  if (text0 === undefined || banner === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `expected _text and linux_banner in the System.map, got ${text0 === undefined ? 'no _text' : 'no linux_banner'}`, { pos: { file } });
  const at = Number(banner - text0);
  const seen = Buffer.from(payload.subarray(at, at + 14)).toString('latin1');
  if (at < 0 || seen !== 'Linux version ') throw new FactsError('LAYOUT_UNEXPECTED', `expected the banner at linux_banner − _text = ${hex(at)} of the payload (the System.map of this image), got ${JSON.stringify(seen)}`, { pos: { file } });
  out.delete('linux_banner');
  return out;
}

async function readVmlinux(file: string): Promise<{ elf: ElfFile; bytes: Uint8Array }> {
  const raw = new Uint8Array(await readFile(file));
  const bytes = file.endsWith('.xz') ? new Uint8Array(xz.decompressSync(raw)) : raw;
  return { elf: parseElf(bytes, path.basename(file)), bytes };
}

/**
 * Where the layout derived from the sections (layout.ts) differs from the .symtab's own values of
 * the same symbols, as a sentence; undefined when they agree or there is no .symtab.
 */
export function layoutDisagreement(image: KernelFacts['image'], elf: ElfFile, bytes: Uint8Array, file: string): string | undefined {
  const derived = Object.entries(image.symbols);
  const syms = symtabSymbols(elf, bytes, new Set(derived.map(([n]) => n)), file);
  const offset = BigInt(image.loadOffset);
  const off = derived.filter(([n, at]) => syms.has(n) && syms.get(n)! - offset !== BigInt(at));
  if (off.length === 0) return undefined;
  return `the section rules give ${off.map(([n, at]) => `${n} ${hex(at)}`).join(', ')}; the .symtab has ${off.map(([n]) => `${n} ${hex(syms.get(n)! - offset)}`).join(', ')}`;
}

/** The message of a FactsError, as the reason a fact is absent; anything else is a bug and thrown. */
function attempt<T>(work: () => T): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: work() };
  } catch (e) {
    if (e instanceof FactsError) return { ok: false, reason: `${e.code}: ${e.message}` };
    throw e;
  }
}

/**
 * The facts of a local build from its pinned files (fetch.ts fetchLocalKernel). Complete
 * KernelFacts when the modern extractor finds everything in the bzImage alone; otherwise the
 * partial facts described at the top of this file.
 */
export async function extractLocalFacts(k: LocalKernelEntry, fetched: Pick<FetchedKernel, 'vmlinuz' | 'config' | 'vmlinux' | 'systemMap'>): Promise<KernelFacts | PartialKernelFacts> {
  for (const f of [fetched.vmlinuz, fetched.config, ...(fetched.vmlinux ? [fetched.vmlinux] : []), ...(fetched.systemMap ? [fetched.systemMap] : [])]) {
    if (!existsSync(f)) throw new FactsError('FILE_MISSING', `expected a file of ${k.id} at ${f}, got no such file`, { pos: { file: f } });
  }
  // Files are named by their pinned names in messages, so the reasons in `absent` do not depend on where the files sit.
  const imageName = path.basename(fetched.vmlinuz);
  const imageBytes = new Uint8Array(await readFile(fetched.vmlinuz));
  const header = legacyHeader(imageBytes, imageName);
  const pinnedElf = fetched.vmlinux ? await readVmlinux(fetched.vmlinux) : undefined;
  if (header.protocolNumber >= 0x20a) {
    const full = await extractFactsFromFiles(k, fetched.vmlinuz, fetched.config).then((f) => ({ ok: true as const, f }), (e: unknown) => {
      if (e instanceof FactsError) return { ok: false as const };
      throw e;
    });
    // complete facts only where the section rules agree with the vmlinux's own symbols, when it has them
    if (full.ok && (pinnedElf === undefined || layoutDisagreement(full.f.image, pinnedElf.elf, pinnedElf.bytes, path.basename(fetched.vmlinux!)) === undefined)) return full.f;
  }
  const configText = await readFile(fetched.config, 'utf8');
  const config = selectConfig(parseKconfig(configText, path.basename(fetched.config)));
  const { protocolNumber: _, ...bzImage } = header;
  const { compression, bytes: payload } = await payloadOfAny(imageBytes, header.protocolNumber, header.setupSects, imageName);

  // The ELF: the pinned vmlinux where there is one, else the payload when it is an ELF (2.6.26+).
  let elfBytes: Uint8Array | undefined;
  let elfName = `${imageName} (payload)`;
  if (fetched.vmlinux && pinnedElf) {
    elfBytes = pinnedElf.bytes;
    elfName = path.basename(fetched.vmlinux);
  } else if (isElf(payload)) elfBytes = payload;
  const absent: Record<string, string> = {};
  const out: { -readonly [K in keyof PartialKernelFacts]?: PartialKernelFacts[K] } = {};
  const banner = findBanner(elfBytes ?? payload, k.release, elfBytes ? elfName : `${imageName} (payload)`);

  if (!elfBytes) {
    const why = `no vmlinux was pinned and the payload (boot protocol ${bzImage.protocol}) is a raw binary (objcopy -O binary), which has no sections or symbols`;
    for (const f of ['image', 'staticPercpuBytes', 'realModeBlobBytes', 'structs', 'params']) absent[f] = why;
    if (fetched.systemMap) {
      const loadOffset = linkedWithoutAt(k.arch, config);
      const syms = systemMapSymbols(await readFile(fetched.systemMap, 'latin1'), payload, k.arch, path.basename(fetched.systemMap));
      out.loadOffset = hex(loadOffset);
      out.symbols = Object.fromEntries(LINKER_SYMBOLS.filter((n) => syms.has(n)).map((n) => [n, Number(syms.get(n)! - loadOffset)]));
    } else absent.symbols = `${why}, and no System.map was pinned`;
  } else {
    const elf = parseElf(elfBytes, elfName);
    const wantMachine = k.arch === 'x86_64' ? EM_X86_64 : EM_386;
    if (elf.machine !== wantMachine) throw new FactsError('LAYOUT_UNEXPECTED', `expected an ELF of e_machine ${wantMachine} for arch ${k.arch}, got e_machine ${elf.machine}`, { pos: { file: elfName } });
    const bytes = elfBytes;
    const image = attempt(() => deriveLayout(elf, seriesTraits(parseKernelVersion(k.release)).smpLocks, elfName));
    const disagreement = image.ok ? layoutDisagreement(image.value, elf, bytes, elfName) : undefined;
    if (image.ok && disagreement === undefined) out.image = image.value;
    else absent.image = image.ok ? `${disagreement} (the section rules of layout.ts were read in 5.10–7.2)` : image.reason;
    const percpu = attempt(() => section(elf, '.data..percpu', elfName).size);
    if (percpu.ok) out.staticPercpuBytes = percpu.value;
    else absent.staticPercpuBytes = `${percpu.reason} (include/asm-generic/percpu.h: a CONFIG_SMP=n build keeps its per-CPU data in .data, and SMP builds before 2.6.35 name the section .data.percpu; this build has SMP=${config.SMP ?? 'n'})`;
    const rm = attempt(() => realModeBlobBytes(elf, bytes, elfName));
    if (rm.ok) out.realModeBlobBytes = rm.value;
    else absent.realModeBlobBytes = `${rm.reason} (arch/x86/realmode/ arrived in 3.7)`;
    const structs = attempt(() => structsOf(elf, bytes, k, config, elfName));
    if (structs.ok) out.structs = structs.value;
    else absent.structs = structs.reason;
    const params = attempt(() => extractParams(elf, bytes, elfName));
    if (params.ok) out.params = params.value;
    else absent.params = `${params.reason} (the tables are read with the layouts of 5.10–7.2: include/linux/init.h, moduleparam.h)`;
    const text = section(elf, '.text', elfName);
    const seg = elf.segments.find((p) => p.type === PT_LOAD && p.vaddr <= text.addr && text.addr < p.vaddr + BigInt(p.memsz));
    if (seg) {
      const loadOffset = seg.vaddr !== seg.paddr ? seg.vaddr - seg.paddr : linkedWithoutAt(k.arch, config);
      out.loadOffset = hex(loadOffset);
      const syms = symtabSymbols(elf, bytes, new Set(LINKER_SYMBOLS), elfName);
      if (syms.size === 0) absent.symbols = 'the vmlinux has no .symtab (stripped)';
      else out.symbols = Object.fromEntries(LINKER_SYMBOLS.filter((n) => syms.has(n)).map((n) => [n, Number(syms.get(n)! - loadOffset)]));
    } else absent.symbols = `no PT_LOAD segment holds .text at ${hex(text.addr)}, so the load offset is unknown`;
  }
  // in the order of PartialKernelFactsSchema, so the file reads back byte for byte
  const ordered = (['loadOffset', 'symbols', 'image', 'staticPercpuBytes', 'realModeBlobBytes', 'structs', 'params'] as const).reduce<typeof out>((o, key) => (out[key] === undefined ? o : { ...o, [key]: out[key] }), {});
  return { banner, compression, bzImage, ...ordered, configSha256: sha256Hex(configText), config, absent };
}
