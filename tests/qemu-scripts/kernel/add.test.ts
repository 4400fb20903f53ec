// `bootsim kernel add` (qemu-scripts/kernel/add.ts), the local-build fetch (fetch.ts) and the
// facts of an old image (facts-local.ts), on the committed 3.0.1 i386 build in
// goldens/kernels/images/3.0.1-i386/: a valid registration round-trips through the catalog
// reader, every bad input is refused with its code before anything is written, a failure after
// the copy leaves nothing behind, and a tampered or missing pinned file is refused on fetch.
import { beforeAll, describe, expect, test } from 'vitest';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { addLocalKernel, KernelAddError, type KernelAddOptions, type KernelAdded } from '../../../qemu-scripts/kernel/add.ts';
import { fetchKernel, FetchError } from '../../../qemu-scripts/kernel/fetch.ts';
import { extractLocalFacts, legacyHeader, payloadOfAny, systemMapSymbols } from '../../../qemu-scripts/kernel/facts-local.ts';
import { KernelCatalogError, kernelIds, loadKernel, loadKernelWithFacts, readKernelFile } from '../../../harness/kernels.ts';
import { kernelsDir } from '../../../sim/base/paths.ts';
import { isLocalKernel, type PartialKernelFacts } from '../../../sim/kernel-facts.ts';
import { scratchDir } from '../../scratch.ts';

const images = path.join(kernelsDir, 'images', '3.0.1-i386');
const COMMIT = '3992f4b1cf29c7dcdb494d9cfcad7ed3175e40a5';

function opts(dir: string, over: Partial<KernelAddOptions> = {}): KernelAddOptions {
  return {
    id: 'my-3.0.1',
    dir,
    bzImage: path.join(images, 'bzImage'),
    config: path.join(images, 'config'),
    vmlinux: path.join(images, 'vmlinux.xz'),
    sourceRepo: 'eastmoutain/Linux-3.0.1',
    sourceCommit: COMMIT,
    sourceTree: 'linux-3.0.1',
    recipe: path.join(images, 'recipe.sh'),
    ...over,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (e instanceof KernelAddError || e instanceof FetchError || e instanceof KernelCatalogError) return e.code;
  if (e instanceof Error && 'code' in e) return String((e as Error & { code: unknown }).code);
  return e === undefined ? 'resolved' : 'not coded';
}

const tmp = (): string => scratchDir('bootsim-add-');

describe('kernel add: a valid local build', () => {
  let dir: string;
  let added: KernelAdded;
  beforeAll(async () => {
    dir = tmp();
    added = await addLocalKernel(opts(dir));
  });

  test('add_valid_files: expect the four files copied under images/<id>/ with their sha256 pinned', () => {
    expect(readdirSync(path.join(dir, 'images', 'my-3.0.1')).sort()).toEqual(['bzImage', 'config', 'recipe.sh', 'vmlinux.xz']);
    const k = loadKernel('my-3.0.1', dir);
    expect(isLocalKernel(k)).toBe(true);
    if (!isLocalKernel(k)) return;
    expect(k).toMatchObject({ arch: 'i386', version: '3.0.1', release: '3.0.1', local: { source: { repository: 'eastmoutain/Linux-3.0.1', commit: COMMIT, tree: 'linux-3.0.1' } } });
    for (const f of ['bzImage', 'config', 'vmlinux', 'recipe'] as const) {
      expect(readFileSync(path.join(images, path.basename(k.local[f]!.path))).equals(readFileSync(path.join(dir, 'images', 'my-3.0.1', k.local[f]!.path)))).toBe(true);
    }
    expect(k.local.bzImage.sha256).toBe(loadKernel('3.0.1-i386').local?.bzImage.sha256);
  });

  test('add_valid_facts: expect the old image\'s facts extracted, each missing one named in absent, and no temporary left', () => {
    const k = loadKernel('my-3.0.1', dir);
    expect(k.facts).toBeUndefined();
    const f = k.partialFacts!;
    expect(f.banner).toMatch(/^Linux version 3\.0\.1 \(/);
    expect(f.bzImage).toMatchObject({ protocol: '2.10', prefAddress: 0x1000000 });
    expect(f.compression).toBe('gzip');
    // CONFIG_PHYSICAL_START 0x1000000: _text is linked there, __bss_start <= __bss_stop < __brk_base
    expect(f.loadOffset).toBe('0xc0000000');
    expect(f.symbols!._text).toBe(0x1000000);
    expect(f.symbols!.__bss_start).toBeLessThan(f.symbols!.__bss_stop!);
    expect(f.symbols!.__bss_stop).toBeLessThanOrEqual(f.symbols!.__brk_base!);
    expect(Object.keys(f.absent)).toContain('realModeBlobBytes');
    expect(f.absent.realModeBlobBytes).toMatch(/arch\/x86\/realmode\/ arrived in 3\.7/);
    expect(f.absent.structs).toMatch(/no derivation for 3\.0/);
    expect(f.realModeBlobBytes).toBeUndefined();
    // the reasons do not name where the files were extracted
    for (const r of Object.values(f.absent)) expect(r).not.toContain(dir);
    expect(readdirSync(dir).filter((n) => n.includes('tmp') || n.includes('draft'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'images'))).toEqual(['my-3.0.1']);
  });

  test('add_valid_needs_facts: expect the simulator\'s loader to refuse it with KERNEL_FACTS_ABSENT naming the absent facts', () => {
    let code = '';
    try {
      loadKernelWithFacts('my-3.0.1', dir);
    } catch (e) {
      code = e instanceof KernelCatalogError ? `${e.code} ${e.message}` : 'other';
    }
    expect(code).toMatch(/^KERNEL_FACTS_ABSENT .*realModeBlobBytes \(/);
  });

  test('add_valid_fetch: expect fetch to find the pinned files offline, and facts --check to extract the same facts again', async () => {
    const k = loadKernel('my-3.0.1', dir);
    if (!isLocalKernel(k)) throw new Error('expected a local entry');
    const fetched = await fetchKernel(k, { offline: true });
    expect(fetched.vmlinuz).toBe(path.join(dir, 'images', 'my-3.0.1', 'bzImage'));
    expect(JSON.parse(JSON.stringify(await extractLocalFacts(k, fetched)))).toEqual(JSON.parse(JSON.stringify(added.facts)));
  });

  test('add_exists: expect a second add under the same id to be ADD_EXISTS, the first entry untouched', async () => {
    const before = readFileSync(path.join(dir, 'my-3.0.1.yaml'), 'utf8');
    expect(await codeOf(addLocalKernel(opts(dir)))).toBe('ADD_EXISTS');
    expect(readFileSync(path.join(dir, 'my-3.0.1.yaml'), 'utf8')).toBe(before);
  });

  test('fetch_tampered: expect a pinned file whose bytes changed to be FETCH_HASH_MISMATCH, and a missing one FETCH_FILE_MISSING', async () => {
    const copy = tmp();
    copyFileSync(path.join(dir, 'my-3.0.1.yaml'), path.join(copy, 'my-3.0.1.yaml'));
    const imgs = path.join(copy, 'images', 'my-3.0.1');
    for (const f of readdirSync(path.join(dir, 'images', 'my-3.0.1'))) {
      if (f === 'recipe.sh') continue;
      await import('node:fs').then((fs) => { fs.mkdirSync(imgs, { recursive: true }); fs.copyFileSync(path.join(dir, 'images', 'my-3.0.1', f), path.join(imgs, f)); });
    }
    const k = loadKernel('my-3.0.1', copy);
    expect(await codeOf(fetchKernel(k, { offline: true }))).toBe('FETCH_FILE_MISSING');
    writeFileSync(path.join(imgs, 'recipe.sh'), 'not the recipe\n');
    expect(await codeOf(fetchKernel(k, { offline: true }))).toBe('FETCH_HASH_MISMATCH');
  });
});

describe('kernel add: bad inputs are refused before anything is written', () => {
  const cases: Array<[string, Partial<KernelAddOptions>, string]> = [
    ['bad_id_upper', { id: 'My-Kernel' }, 'ADD_BAD_ID'],
    ['bad_id_slash', { id: '../x' }, 'ADD_BAD_ID'],
    ['missing_bzimage', { bzImage: '/nonexistent/bzImage' }, 'ADD_FILE_MISSING'],
    ['missing_config', { config: '/nonexistent/config' }, 'ADD_FILE_MISSING'],
    ['bzimage_is_dir', { bzImage: images }, 'ADD_FILE_MISSING'],
    ['missing_recipe', { recipe: '/nonexistent/recipe.sh' }, 'ADD_FILE_MISSING'],
    ['bad_commit', { sourceCommit: 'abc123' }, 'ADD_BAD_SOURCE'],
    ['bad_repo', { sourceRepo: 'not a repo' }, 'ADD_BAD_SOURCE'],
    ['not_bzimage', { bzImage: path.join(images, 'config') }, 'NOT_BZIMAGE'],
    ['not_config', { config: path.join(images, 'recipe.sh') }, 'CONFIG_INVALID'],
  ];
  test.each(cases)('%s: expect the coded refusal and an empty catalog folder', async (_name, over, code) => {
    const dir = tmp();
    expect(await codeOf(addLocalKernel(opts(dir, over)))).toBe(code);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('bad_commit_message: expect the message to name the flag, what was expected and what came', async () => {
    const e = await addLocalKernel(opts(tmp(), { sourceCommit: 'abc123' })).catch((x: unknown) => x);
    expect((e as Error).message).toBe('--source-commit: expected a 40-hex commit id, got "abc123"');
  });

  test('add_atomic_late_failure: expect a failure after the copy (an x86_64 config for an i386 image) to leave no entry and no image folder', async () => {
    const dir = tmp();
    const cfg = path.join(dir, '..', `${path.basename(dir)}-config`);
    writeFileSync(cfg, readFileSync(path.join(images, 'config'), 'utf8').replace('# CONFIG_64BIT is not set', 'CONFIG_64BIT=y\nCONFIG_X86_64=y'));
    expect(await codeOf(addLocalKernel(opts(dir, { config: cfg })))).toBe('LAYOUT_UNEXPECTED');
    expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toEqual(expect.not.arrayContaining(['my-3.0.1.yaml']));
    expect(existsSync(path.join(dir, 'images', 'my-3.0.1'))).toBe(false);
    rmSync(cfg);
  });
});

describe('old bzImage headers and payloads (facts-local.ts)', () => {
  // A protocol 2.03 image as 2.6.11 builds it: boot sector, setup sectors, then the
  // decompressor with the gzip member somewhere inside, no payload_offset to find it.
  function image203(payload: Uint8Array, setupSects = 4): Uint8Array {
    const pre = new Uint8Array(64).fill(0x90);
    pre[10] = 0x1f; // a stray 1f that is no gzip member
    pre[11] = 0x8b;
    const buf = new Uint8Array((setupSects + 1) * 512 + pre.length + payload.length + 16);
    buf[0x1f1] = setupSects;
    buf.set([0x48, 0x64, 0x72, 0x53], 0x202);
    buf[0x206] = 0x03;
    buf[0x207] = 0x02;
    buf.set(pre, (setupSects + 1) * 512);
    buf.set(payload, (setupSects + 1) * 512 + pre.length);
    return buf;
  }

  test('header_203: expect protocol "2.03" with only the fields that protocol has', () => {
    const h = legacyHeader(image203(new Uint8Array(0)), 'bzImage');
    expect(h).toEqual({ protocolNumber: 0x203, protocol: '2.03', setupSects: 4 });
  });

  test('header_not_bzimage: expect NOT_BZIMAGE when the HdrS magic is absent', () => {
    const buf = image203(new Uint8Array(0));
    buf[0x202] = 0;
    expect(() => legacyHeader(buf, 'bzImage')).toThrow(expect.objectContaining({ code: 'NOT_BZIMAGE' }));
  });

  test('payload_203_gzip: expect the gzip member after the decompressor found by its magic and inflated', async () => {
    const text = new TextEncoder().encode('Linux version 2.6.11 (x@y) (gcc) #1 Tue\n\0rest of the kernel');
    const r = await payloadOfAny(image203(new Uint8Array(gzipSync(text))), 0x203, 4, 'bzImage');
    expect(r.compression).toBe('gzip');
    expect(new TextDecoder().decode(r.bytes)).toBe(new TextDecoder().decode(text));
  });

  test('payload_203_none: expect NOT_BZIMAGE when no member inflates', async () => {
    await expect(payloadOfAny(image203(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8])), 0x203, 4, 'bzImage')).rejects.toMatchObject({ code: 'NOT_BZIMAGE' });
  });
});

describe('the schema of local entries (sim/kernel-facts.ts, harness/kernels.ts)', () => {
  const committed = (): string => readFileSync(path.join(kernelsDir, '3.0.1-i386.yaml'), 'utf8');
  function readEdited(edit: (s: string) => string): string {
    const dir = tmp();
    writeFileSync(path.join(dir, '3.0.1-i386.yaml'), edit(committed()));
    try {
      readKernelFile(path.join(dir, '3.0.1-i386.yaml'));
      return 'read';
    } catch (e) {
      return e instanceof KernelCatalogError ? `${e.code}: ${e.message}` : 'other';
    }
  }

  test('local_committed: expect the committed 3.0.1 entry to read as a local build with partial facts', () => {
    const k = loadKernel('3.0.1-i386');
    expect(isLocalKernel(k)).toBe(true);
    expect(k.partialFacts?.absent).toBeDefined();
    expect(readEdited((s) => s)).toBe('read');
  });

  test('local_bad_sha: expect a pin that is not a sha256 to be KERNEL_FIELD_INVALID at its path', () => {
    const r = readEdited((s) => s.replace(/(bzImage:\n\s+path: bzImage\n\s+sha256: )[0-9a-f]{64}/, '$1abc'));
    expect(r).toMatch(/^KERNEL_FIELD_INVALID: .*local\.bzImage\.sha256: expected a sha256 in lower-case hex, got "abc"/);
  });

  test('local_path_escapes: expect a pinned path with a folder part to be refused', () => {
    expect(readEdited((s) => s.replace(/path: bzImage/, 'path: ../../etc/passwd'))).toMatch(/^KERNEL_FIELD_INVALID: .*local\.bzImage\.path: expected a file name/);
  });

  test('local_absent_unexplained: expect a fact neither present nor named in absent to be KERNEL_FACTS_INVALID', () => {
    expect(readEdited((s) => s.replace(/\n {4}realModeBlobBytes: [^\n]*/, ''))).toMatch(/^KERNEL_FACTS_INVALID/);
  });

  test('local_partial_type: expect PartialKernelFacts to keep what the build has', () => {
    const f: PartialKernelFacts | undefined = loadKernel('3.0.1-i386').partialFacts;
    expect(f?.config.HIGHMEM4G).toBe('y');
  });
});

describe('the other committed old builds', () => {
  // a fresh clone finds every local build's pinned files in the tree, byte for byte
  test.each(kernelIds().filter((id) => loadKernel(id).local !== undefined))('committed_local_%s: expect kernel fetch to find its pinned files offline', async (id) => {
    const k = loadKernel(id);
    if (!isLocalKernel(k)) throw new Error('expected a local entry');
    const f = await fetchKernel(k, { offline: true });
    expect(f.vmlinuz).toBe(path.join(kernelsDir, 'images', id, k.local.bzImage.path));
    expect(k.facts ?? k.partialFacts).toBeDefined();
  });

  test('prebuilt_211_x86_64: expect the 2.03 image re-extracted to its committed facts: banner from the raw-binary payload, symbols from its System.map, each absence explained', async () => {
    const k = loadKernel('2.6.11-x86_64');
    if (!isLocalKernel(k)) throw new Error('expected a local entry');
    const f = await extractLocalFacts(k, await fetchKernel(k, { offline: true }));
    expect(JSON.parse(JSON.stringify(f))).toEqual(JSON.parse(JSON.stringify(k.partialFacts)));
    expect(k.partialFacts).toMatchObject({ compression: 'gzip', bzImage: { protocol: '2.03' } });
    expect(k.partialFacts!.banner).toMatch(/^Linux version 2\.6\.11 \(.*gcc version 3\.3\.5/);
    // arch/x86_64/kernel/vmlinux.lds.S (2.6.11): `. = 0xffffffff80100000;` — __START_KERNEL_map + 1M
    expect(k.partialFacts).toMatchObject({ loadOffset: '0xffffffff80000000', symbols: { _text: 0x100000 } });
    expect(k.partialFacts!.absent.symbols).toBeUndefined();
    expect(k.partialFacts!.absent.image).toMatch(/raw binary/);
  });

  test('system_map_checked: expect a System.map whose linux_banner does not point at the payload\'s banner to be refused', () => {
    const payload = new TextEncoder().encode('\0\0\0\0Linux version 2.6.11 (x) #1\n');
    const map = (banner: string): string => `ffffffff80100000 A _text\nffffffff8010${banner} R linux_banner\nffffffff80200000 A _end\n`;
    expect(systemMapSymbols(map('0004'), payload, 'x86_64', 'System.map').get('_end')).toBe(0xffffffff80200000n);
    expect(() => systemMapSymbols(map('0008'), payload, 'x86_64', 'System.map')).toThrow(/expected the banner at linux_banner − _text = 0x8 of the payload/);
    expect(() => systemMapSymbols(map('0004'), payload, 'i386', 'System.map')).toThrow(/expected 8-digit addresses for i386/);
  });

  test('built_2611_i386: expect the symbols of a vmlinux linked without AT() made physical with __PAGE_OFFSET 0xC0000000 (include/asm-i386/page.h, 2.6.11)', () => {
    const f = loadKernel('2.6.11-i386').partialFacts!;
    expect(f.loadOffset).toBe('0xc0000000');
    // arch/i386/kernel/vmlinux.lds.S (2.6.11): `. = __PAGE_OFFSET + 0x100000; _text = .;`
    expect(f.symbols!._text).toBe(0x100000);
    // the linker script: `_end = . ; . = ALIGN(4096); pg0 = .;`, where head.S builds the early page tables
    expect(f.symbols!.pg0).toBe(Math.ceil(f.symbols!._end! / 4096) * 4096);
  });

  test('built_2634: expect no .data..percpu (a UP 2.6.34 keeps per-CPU data in .data), its reason kept, and the commons inside .bss', () => {
    const f = loadKernel('2.6.34-i386').partialFacts!;
    expect(f.absent.staticPercpuBytes).toMatch(/\.data\.\.percpu/);
    expect(f.image).toBeUndefined();
    // the rebuilt image: __bss_stop is the end of the TEXT DATA BSS reservation, and brk follows it
    expect(f.symbols!.__bss_stop).toBeLessThanOrEqual(f.symbols!.__brk_base!);
    expect(f.symbols!._text).toBe(0x1000000);
  });
});
