// Classification of lines and windows, on recorded logs and hand-picked lines.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { GoldenError, normaliseLog, normaliseSimLines } from '../../../harness/normalise.ts';
import { KERNEL_SERIES } from '../../../sim/traits.ts';
import {
  classifyLine,
  classifyLog,
  families,
  literalPrefix,
  matchFamily,
  matchFamilyEveryVariant,
  coverageOf,
  parseCatalogLine,
  extractCatalogLines,
  requireIntactGolden,
  suspectLines,
  kernelKeyOfId,
  MaskFileError,
  masks,
  parseMasks,
  versionKeyOf,
  volatileFields,
  volatileFor,
  windowReport,
} from '../../../harness/catalog/index.ts';

const read = (name: string) => normaliseLog(readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url)), name);
const k61 = kernelKeyOfId('6.1-amd64');
const k612 = kernelKeyOfId('6.12-amd64');

describe('matchFamily prefix index', () => {
  test.each([
    [/^Zone ranges:$/, 'Zone ranges:'],
    [/^BIOS-e820: \[mem 0x/, 'BIOS-e820: [mem 0x'],
    [/^ab?c/, 'a'],
    [/^ab*c/, 'a'],
    [/^ab{2}c/, 'a'],
    [/^ab+c/, 'ab'],
    [/^\s+DMA/, ''],
    [/^\tx/, ''],
    [/^a\.b\(/, 'a.b('],
    [/^ab|cd/, ''],
    [/^(?:ab|cd)e/, ''],
    [/^[|]x|y/, ''],
    [/^a[|]b/, 'a'],
    [/ab/, ''],
    [/^ab/i, ''],
  ])('literal_prefix %s: expect %j, a text every match starts with', (re, want) => {
    expect(literalPrefix(re)).toBe(want);
  });

  // The index only skips variants whose literal prefix the line lacks: the first match in catalog
  // order must be the one the unindexed walk finds, on every series and arch, for catalog lines and
  // for near misses (a prefix with the rest cut off or changed).
  test('match_family_index_agrees: expect the indexed and unindexed walks to pick the same variant on every series and arch', () => {
    const texts = new Set<string>();
    for (const name of ['normal-6.1-x86_64-pc-512m.log', 'memory-after-slub-6.12-x86_64-pc-512m.log', 'memblock-6.1-i386-686-pc-1g.log', 'memblock-7.2-x86_64-pc-512m.log']) {
      for (const l of read(name).lines) texts.add(l.text);
    }
    for (const f of families) for (const v of f.variants) {
      const p = literalPrefix(v.re);
      texts.add(p).add(p.slice(0, -1)).add(`${p}x`).add(` ${p}`);
    }
    texts.add('');
    const bad: string[] = [];
    for (const version of KERNEL_SERIES) for (const arch of ['x86_64', 'i386'] as const) {
      const k = { version, arch };
      for (const t of texts) {
        const a = matchFamily(t, k);
        const b = matchFamilyEveryVariant(t, k);
        if (a?.family.id !== b?.family.id || a?.match[0] !== b?.match[0]) bad.push(`${version} ${arch} ${JSON.stringify(t)}: ${a?.family.id} vs ${b?.family.id}`);
      }
    }
    expect(bad).toEqual([]);
    expect(texts.size).toBeGreaterThan(300);
  });
});

describe('classifyLine', () => {
  test.each([
    ['6.1-amd64', 'Zone ranges:', 'catalog'],
    ['6.1-amd64', 'tsc: Detected 2297.791 MHz processor', 'masked'],
    ['6.1-amd64', 'tsc: Unable to calibrate against PIT', 'masked'],
    ['6.12-amd64', 'clocksource: tsc-early: mask: 0xffffffffffffffff max_cycles: 0x21273747cc1, max_idle_ns: 440795306113 ns', 'masked'],
    ['6.12-amd64', 'node 0 deferred pages initialised in 4ms', 'masked'],
    ['6.12-amd64', 'smpboot: Total of 2 processors activated (9201.72 BogoMIPS)', 'masked'],
    ['6.1-amd64', 'Kernel Offset: disabled', 'masked'],
    ['6.1-amd64', 'ACPI: RSDT 0x000000001FFE1B33 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)', 'firmware'],
    ['6.1-amd64', 'ACPI: Reserving FACP table memory at [mem 0x1ffe19df-0x1ffe1a52]', 'firmware'],
    ['6.1-amd64', 'ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x0009ffff]', 'catalog'],
    ['6.1-amd64', 'found SMP MP-table at [mem 0x000f5ba0-0x000f5baf]', 'firmware'],
    ['6.1-amd64', 'SMBIOS 2.8 present.', 'firmware'],
    ['7.2-amd64', 'DMI: SMBIOS 2.8 present.', 'firmware'],
    ['6.12-amd64', 'DMI: Memory slots populated: 1/1', 'firmware'],
    ['6.1-amd64', 'IOAPIC[0]: apic_id 0, version 32, address 0xfec00000, GSI 0-23', 'firmware'],
    ['6.1-amd64', 'x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  ', 'unmodelled'],
    ['6.1-amd64', 'clocksource: refined-jiffies: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 7645519600211568 ns', 'unmodelled'],
  ])('on %s: %j → %s', (kernel, text, cls) => {
    expect(classifyLine(text, kernelKeyOfId(kernel)).cls).toBe(cls);
  });
});

describe('windowReport on recorded logs', () => {
  test('normal 6.1: expect every window line classified, counts adding up', () => {
    const r = windowReport(read('normal-6.1-x86_64-pc-512m.log'), k61);
    const c = r.counts;
    expect(c).toMatchObject({ total: 80, catalog: 48, masked: 0, firmware: 28, unmodelled: 4, deterministic: 80, catalogOutside: 1 });
    expect(c.coverage).toBeCloseTo(48 / 80);
    expect(r.lines[0]).toEqual({ lineNo: 12, text: 'BIOS-provided physical RAM map:', cls: 'catalog', family: 'e820.header' });
    expect(r.lines.filter((l) => l.cls === 'unmodelled').map((l) => l.text)).toEqual([
      'NX (Execute Disable) protection: active',
      'x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  ',
      'Booting paravirtualized kernel on bare hardware',
      'clocksource: refined-jiffies: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 7645519600211568 ns',
    ]);
  });

  test('6.12: expect masked timing lines between SLUB and Memory:, and Memory: as the last catalog line', () => {
    const r = windowReport(read('memory-after-slub-6.12-x86_64-pc-512m.log'), k612);
    expect(r.lines.at(-1)).toMatchObject({ cls: 'catalog', family: 'mem.summary' });
    expect(r.lines.filter((l) => l.cls === 'masked').map((l) => l.rule)).toEqual(
      expect.arrayContaining(['tsc', 'clocksource-tsc', 'bogomips', 'deferred-init-time']),
    );
  });

  test('no window: expect zero counts', () => {
    expect(windowReport(read('firmware-only.log'), k61).counts).toMatchObject({ total: 0, coverage: 0 });
  });
});

describe('coverageOf', () => {
  test.each([
    [{ catalog: 48, deterministic: 80 }, 48 / 80],
    [{ catalog: 80, deterministic: 80 }, 1],
    [{ catalog: 0, deterministic: 0 }, 0],
    [{ catalog: 0, deterministic: 12 }, 0],
  ])('coverage_of_%#: expect %j → %d', (c, want) => {
    expect(coverageOf(c)).toBeCloseTo(want);
  });
});

describe('classifyLog', () => {
  test.each([
    ['normal-6.1-x86_64-pc-512m.log', '6.1-amd64'],
    ['memory-after-slub-6.12-x86_64-pc-512m.log', '6.12-amd64'],
    ['firmware-only.log', '6.1-amd64'],
  ])('classify_log_one_pass %s: expect the catalog lines and window of one pass to agree line by line with classifyLine and parseCatalogLine', (name, kernelId) => {
    const log = read(name);
    const k = kernelKeyOfId(kernelId);
    const { catalog, window } = classifyLog(log, k);
    const perLine = log.lines.flatMap((l) => {
      const c = parseCatalogLine(l, k);
      return c ? [c] : [];
    });
    expect(catalog.map(({ seq: _s, inWindow: _w, ...c }) => c)).toEqual(perLine);
    for (const w of window.lines) expect(classifyLine(w.text, k).cls).toBe(w.cls);
    const c = window.counts;
    expect(c.catalog + c.masked + c.firmware + c.unmodelled).toBe(c.total);
    expect(c.coverage).toBe(coverageOf(c));
    expect(catalog.filter((l) => l.inWindow)).toHaveLength(c.catalog);
    expect(catalog.filter((l) => !l.inWindow)).toHaveLength(c.catalogOutside);
  });

  test('classify_log_occurrences: expect seq to number the lines sharing a family and key', () => {
    const { catalog } = classifyLog(read('normal-6.1-x86_64-pc-512m.log'), k61);
    const e820 = catalog.filter((l) => l.family === 'e820.entry');
    expect(e820.length).toBeGreaterThan(1);
    expect(e820.map((l) => l.seq)).toEqual(e820.map((_, i) => i));
  });
});

describe('extractCatalogLines', () => {
  test('normal 6.1: expect log order, raw line numbers, keys and occurrence numbers', () => {
    const lines = extractCatalogLines(read('normal-6.1-x86_64-pc-512m.log'), k61);
    expect(lines[0]).toMatchObject({ lineNo: 11, family: 'cmdline.x86', inWindow: false });
    const dma = lines.filter((l) => l.family === 'zones.unavailable');
    expect(dma.map((l) => [l.key, l.seq])).toEqual([
      ['0:DMA', 0],
      ['0:DMA', 1],
      ['0:DMA32', 0],
    ]);
    expect(lines.map((l) => l.lineNo)).toEqual([...lines.map((l) => l.lineNo)].sort((a, b) => a - b));
    const zr = lines.find((l) => l.family === 'zones.range' && l.key === 'DMA32')!;
    expect(zr.fields.find((f) => f.name === 'end')).toEqual({ name: 'end', kind: 'addr', value: 0x1ffdffffn });
    expect(zr.stage).toBe('zones');
  });

  test('sim lines: expect the declared fmt carried for cross-checking', () => {
    const log = normaliseSimLines([{ stage: 'zones', fmt: 'zones.header', text: 'Zone ranges:' }]);
    expect(extractCatalogLines(log, k61)).toEqual([
      expect.objectContaining({ family: 'zones.header', declaredFmt: 'zones.header', lineNo: 1, stage: 'zones' }),
    ]);
  });
});

describe('masks file', () => {
  test('repo masks: expect unique ids, each with a reason', () => {
    const list = masks();
    expect(list.length).toBeGreaterThan(5);
    expect(new Set(list.map((m) => m.id)).size).toBe(list.length);
    for (const m of list) expect(m.reason.length).toBeGreaterThan(10);
  });

  test.each([
    ['not a list', 'a: 1', 'expected a list of masks'],
    ['missing reason', '- id: x\n  match: "^x"', 'reason: expected a non-empty string'],
    ['bad regex', '- id: x\n  match: "("\n  reason: because', 'match: expected a JavaScript regex'],
    ['duplicate id', '- {id: x, match: a, reason: r}\n- {id: x, match: b, reason: r}', 'id: expected a unique id'],
  ])('%s: expect MASKS_INVALID', (_what, src, message) => {
    expect(() => parseMasks(src, 'masks.yaml')).toThrow(MaskFileError);
    expect(() => parseMasks(src, 'masks.yaml')).toThrow(message);
  });
});

describe('volatile fields', () => {
  test('Memory available: expect volatile from 6.12 on, with a reason and a bound (its evidence: tests/harness/catalog/volatile.test.ts)', () => {
    expect(volatileFor('mem.summary', 'available', '6.1')).toBeUndefined();
    expect(volatileFor('mem.summary', 'available', '6.12')).toBeDefined();
    expect(volatileFor('mem.summary', 'available', '7.2')).toBeDefined();
    expect(volatileFor('mem.summary', 'reserved', '6.12')).toBeUndefined();
    for (const v of volatileFields) expect(v.reason.length).toBeGreaterThan(20);
    for (const v of volatileFields) expect(v.tolerance).toBeGreaterThan(0);
  });
});

describe('versions', () => {
  test.each([
    ['6.1-amd64', { version: '6.1', arch: 'x86_64' }],
    ['6.12-amd64', { version: '6.12', arch: 'x86_64' }],
    ['5.10-686-pae', { version: '5.10', arch: 'i386' }],
    ['6.1-686', { version: '6.1', arch: 'i386' }],
    ['7.2-amd64', { version: '7.2', arch: 'x86_64' }],
  ])('%s → %j', (id, key) => {
    expect(kernelKeyOfId(id)).toEqual(key);
  });

  test('unknown: expect a throw naming the known series', () => {
    expect(() => versionKeyOf('6.6')).toThrow(`kernel series "6.6" is not in the catalog (known: ${KERNEL_SERIES.join(', ')})`);
    expect(() => kernelKeyOfId('6.1-arm64')).toThrow(/expected a kernel catalog id/);
    expect(versionKeyOf('6.12.115+deb12')).toBe('6.12');
  });
});

describe('damaged goldens', () => {
  // Real damaged lines from re-captured goldens (bytes dropped by the serial capture).
  const damaged = [
    '[    0.000000] BIOS-provided physical RAM map:',
    '[    0.000000] Built 1 zonelists, mobility grouping on.  Ttal pages: 130942',
    '[    0.000000] ACPI: SRAT: Node 0 XM 0 [mem 0x00000000-0x0009ffff]',
    '[    0.000000] tsc: Detected 254.136 MHz processor',
    '[    0.000000ghMem zone: 36834 pages, LIFO batch:7',
    '[    0.000000] SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1',
    '[    0.000000] Memory: 1K/2K available (1K kernel code, 1K rwdata, 1K rodata, 1K init, 1K bss, 1K reserved, 0K cma-reserved)',
  ].join('\n');

  test('suspectLines: expect lines that start like a family but fail its regex', () => {
    expect(suspectLines(normaliseLog(damaged, 'g.log'), k612)[0]).toEqual({ lineNo: 2, family: 'zonelists.built', text: 'Built 1 zonelists, mobility grouping on.  Ttal pages: 130942' });
    expect(suspectLines(normaliseLog(damaged, 'g.log'), k61).map((s) => s.family)).toEqual(['zonelists.built', 'numa.srat']);
  });

  test('requireIntactGolden: expect GOLDEN_DAMAGED naming each damaged line', () => {
    const log = normaliseLog(damaged, 'goldens/x/serial.log');
    expect(() => requireIntactGolden(log, k61)).toThrow(GoldenError);
    expect(() => requireIntactGolden(log, k61)).toThrow(
      'goldens/x/serial.log:5: expected an intact memory-init window, got 3 damaged line(s) (bytes lost in capture): 5: expected a timestamped kernel line, got "[    0.000000ghMem zone: 36834 pages, LIFO batch:7"; 2: expected a zonelists.built line, got "Built 1 zonelists, mobility grouping on.  Ttal pages: 130942"; 3: expected a numa.srat line, got "ACPI: SRAT: Node 0 XM 0 [mem 0x00000000-0x0009ffff]"',
    );
  });

  test('requireIntactGolden: expect no throw on an intact recorded log', () => {
    expect(() => requireIntactGolden(read('normal-6.1-x86_64-pc-512m.log'), k61)).not.toThrow();
  });
});
