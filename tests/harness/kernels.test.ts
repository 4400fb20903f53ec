// The kernel catalog, goldens/kernels/<id>.yaml, read and validated against KernelFileSchema
// (sim/kernel-facts.ts): every committed file loads, and each kind of damage is a coded error
// naming the file, the line, the field path, what was expected and what was found.
import { describe, expect, test } from 'vitest';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { inCatalog, jsonCachePath, KernelCatalogError, kernelIds, loadKernel, loadKernelWithFacts, readKernelFile } from '../../harness/kernels.ts';
import { kernelsDir } from '../../sim/base/paths.ts';
import { scratchDir } from '../scratch.ts';

const scratch = (): string => scratchDir('bootsim-kernels-');

const source = path.join(kernelsDir, '6.1-686.yaml');
type Doc = ReturnType<typeof parseDocument>;

// The committed entry, with its long tables cut to a few rows so that each case parses little.
const small: string = (() => {
  const doc = parseDocument(readFileSync(source, 'utf8'));
  for (const table of [['facts', 'params', 'setup'], ['facts', 'params', 'module']]) {
    const seq = doc.getIn(table, true) as { items: unknown[] };
    seq.items.splice(2);
  }
  const config = doc.getIn(['facts', 'config'], true) as { items: { key: { value: string } }[] };
  config.items = config.items.filter((p) => ['NR_CPUS', 'HIGHMEM4G', 'PAGE_OFFSET', 'X86_PAE'].includes(p.key.value));
  return doc.toString({ lineWidth: 0 });
})();

// A copy of that entry with one edit made through the YAML document (comments kept).
function edited(edit: (doc: Doc) => void, id = '6.1-686'): string {
  const dir = scratch();
  const file = path.join(dir, `${id}.yaml`);
  const doc = parseDocument(small);
  edit(doc);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
}

function codeOf(file: string): { code: string; message: string } {
  try {
    readKernelFile(file);
  } catch (e) {
    if (e instanceof KernelCatalogError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('readKernelFile on the committed catalog', () => {
  // the local builds of old kernels have partial facts, read in tests/qemu-scripts/kernel/add.test.ts
  test.each(kernelIds().filter((id) => loadKernel(id).local === undefined))('read_committed_%s: expect the pin and its facts to validate', (id) => {
    const k = loadKernelWithFacts(id);
    expect(k.id).toBe(id);
    expect(k.facts.banner).toMatch(/^Linux version /);
    expect(k.facts.params.setup.length).toBeGreaterThan(0);
    expect(k.facts.structs.page?.bytes).toBeGreaterThan(0);
  });

  test('read_copy_unchanged: expect a byte copy of a committed file to read back equal', () => {
    const dir = scratch();
    copyFileSync(source, path.join(dir, '6.1-686.yaml'));
    const { file: _a, ...copy } = readKernelFile(path.join(dir, '6.1-686.yaml'));
    const { file: _b, ...orig } = loadKernel('6.1-686');
    expect(copy).toEqual(orig);
  });

  test('read_cache_per_path: expect two facts files of one basename in different folders to get their own cache entries', () => {
    // the facts cache (dist/facts-cache/) is keyed by the absolute path: a copy in a temporary folder leaves the real entry alone
    const [a, b] = [0, 1].map(() => path.join(scratch(), '6.1-686.yaml'));
    copyFileSync(source, a!);
    writeFileSync(b!, `# a second copy\n${readFileSync(source, 'utf8')}`);
    expect(new Set([jsonCachePath(a!), jsonCachePath(b!), jsonCachePath(source)]).size).toBe(3);
    expect(path.basename(jsonCachePath(a!))).toMatch(/^6\.1-686-[0-9a-f]{16}\.json$/);
    readKernelFile(a!);
    readKernelFile(b!);
    for (const f of [a!, b!]) {
      expect(existsSync(jsonCachePath(f))).toBe(true);
      const c = JSON.parse(readFileSync(jsonCachePath(f), 'utf8')) as { file: string; size: number };
      expect(c).toMatchObject({ file: f, size: statSync(f).size });
    }
  });

  test('read_header_note_kept_out: expect a hand-written header key ignored, not an error', () => {
    const k = readKernelFile(edited((d) => d.set('note', 'pinned by hand')));
    expect(k).not.toHaveProperty('note');
    expect(k.facts).toBeDefined();
  });

  test('read_no_facts_yet: expect an entry without facts to load, and KERNEL_NO_FACTS only when they are required', () => {
    const file = edited((d) => d.delete('facts'));
    expect(readKernelFile(file).facts).toBeUndefined();
    expect(() => loadKernelWithFacts('6.1-686', path.dirname(file))).toThrow(expect.objectContaining({ code: 'KERNEL_NO_FACTS' }));
  });
});

describe('readKernelFile errors', () => {
  test.each<[string, string, (d: Doc) => void, string]>([
    ['header_bad_sha', 'KERNEL_FIELD_INVALID', (d) => d.set('sha256', 'not-a-sha'), 'sha256: expected a sha256 in lower-case hex, got "not-a-sha"'],
    ['header_bad_arch', 'KERNEL_FIELD_INVALID', (d) => d.set('arch', 'arm64'), 'arch: expected x86_64 or i386, got "arm64"'],
    ['header_missing', 'KERNEL_FIELD_INVALID', (d) => d.delete('release'), 'release: expected string, got nothing'],
    ['facts_wrong_type', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'image', 'symbols', '_text'], 'low'), 'facts.image.symbols._text: expected an address (a whole number ≥ 0), got "low"'],
    ['facts_unknown_key', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'image', 'textK'], 1), 'facts.image.textK: unknown key; expected one of loadOffset, percpuZeroBased, symbols, codeK'],
    ['facts_unknown_fact', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'pageSize'], 4096), 'facts.pageSize: unknown key; expected one of banner, compression, bzImage,'],
    ['facts_missing_key', 'KERNEL_FACTS_INVALID', (d) => d.deleteIn(['facts', 'staticPercpuBytes']), 'facts.staticPercpuBytes: expected a size in bytes ≥ 0, got nothing'],
    ['facts_missing_params', 'KERNEL_FACTS_INVALID', (d) => d.deleteIn(['facts', 'params']), 'facts.params: expected Object, got nothing'],
    ['facts_bad_enum', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'compression'], 'brotli'), 'facts.compression: expected one of gzip, bzip2, lzma, xz, lzo, lz4, zstd, got "brotli"'],
    ['facts_struct_entry', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'structs', 'page', 'bytes'], 0), 'facts.structs.page.bytes: expected a size in bytes ≥ 1, got 0'],
    ['facts_struct_extra', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'structs', 'page', 'align'], 8), 'facts.structs.page.align: unknown key; expected one of bytes, source'],
    ['facts_param_entry', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'params', 'setup', 0, 'early'], 'yes'), 'facts.params.setup[0].early: expected boolean, got "yes"'],
    ['facts_config_number', 'KERNEL_FACTS_INVALID', (d) => d.setIn(['facts', 'config', 'NR_CPUS'], 32), 'facts.config.NR_CPUS: expected a string (numbers are quoted), got 32'],
  ])('read_%s: expect %s', (_name, code, edit, text) => {
    const e = codeOf(edited(edit));
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });

  test('read_yaml_syntax: expect KERNEL_FILE_INVALID with the parser\'s position', () => {
    const file = edited(() => undefined);
    writeFileSync(file, `${readFileSync(file, 'utf8')}extra: [unclosed\n`);
    const e = codeOf(file);
    expect(e.code).toBe('KERNEL_FILE_INVALID');
    expect(e.message).toMatch(/:\d+:\d+: expected valid YAML, got: /);
  });

  test('read_facts_hint: expect a facts error to name the command that writes them', () => {
    expect(codeOf(edited((d) => d.setIn(['facts', 'compression'], 'brotli'))).message).toMatch(/; the facts are written by `npx bootsim kernel facts 6\.1-686`$/);
  });

  test('read_error_position: expect file, line and column of the offending value before the field path', () => {
    const file = edited((d) => d.setIn(['facts', 'image', 'symbols', '_text'], 'low'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trim() === '_text: low') + 1;
    expect(codeOf(file).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: facts\\.image\\.symbols\\._text: `));
  });

  test('read_id_not_file_name: expect KERNEL_FIELD_INVALID naming both', () => {
    const e = codeOf(edited(() => undefined, '6.1-other'));
    expect(e.code).toBe('KERNEL_FIELD_INVALID');
    expect(e.message).toContain('id: expected "6.1-other" (the file name), got "6.1-686"');
  });

  // inCatalog lists the folder only when no <id>.yaml exists: the same answer as kernelIds(dir).includes(id)
  test.each(['6.1-amd64', '6.1-amd6', '', '.', '..', '../kernels/6.1-amd64', 'images', '6.1-amd64.yaml', 'x/../6.1-amd64'])('in_catalog_as_listed %j: expect what kernelIds says', (id) => {
    expect(inCatalog(id)).toBe(kernelIds().includes(id));
  });

  test('in_catalog_folder: expect an id of a yaml file in another folder, and none of a path that reaches a catalog file', () => {
    const dir = scratch();
    copyFileSync(source, path.join(dir, 'mine.yaml'));
    expect(inCatalog('mine', dir)).toBe(true);
    expect(inCatalog('mine')).toBe(false);
    expect(inCatalog(`../${path.basename(dir)}/mine`, kernelsDir)).toBe(false);
  });

  test('load_unknown_id: expect KERNEL_UNKNOWN listing the known ids', () => {
    expect(() => loadKernel('2.6-amd64')).toThrow(expect.objectContaining({ code: 'KERNEL_UNKNOWN', message: expect.stringContaining('6.1-amd64') }));
  });
});
