// Tests for harness/report/map/ (model.ts, svg.ts, golden.ts): the regions come from the boot
// state (one per e820 entry, memblock region and ledger range, node and zone), the SVG has one
// <g class="region"> per region with its label and addresses, the axis keeps 4K and 64G visible,
// a golden marks what differs, and the same input gives the same bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ReportError, traceSpec } from '../../../../harness/report/explore/trace.ts';
import { buildMemoryMap, hex64, printedRanges, sizeText, virtualLayout32, type MemoryMap } from '../../../../harness/report/map/model.ts';
import { assignLanes, bandHeight, buildAxis, BAND_MIN, BAND_PER_DOUBLING, renderMapSvg } from '../../../../harness/report/map/svg.ts';
import { renderMapHtml } from '../../../../harness/report/map/html.ts';
import { markAgainstGolden } from '../../../../harness/report/map/golden.ts';
import { mapOf } from '../../../../harness/cli/commands/map.ts';
import { goldensDir } from '../../../../sim/base/paths.ts';
import { FIXADDR_TOP } from '../../../../sim/stages/lowmem32.ts';
import { sliceIfAny } from '../../../../sim/state.ts';
import { goldenNames, goldenProfile, goldenShapes } from '../../../golden-profiles.ts';

const profile = goldenProfile;
const boot64 = traceSpec(profile('x86_64-6.1-pc-512m'));
const map64 = buildMemoryMap(boot64.state, boot64.lines, boot64.traits, 't');
const boot32 = traceSpec(profile('i386-6.1-686-pc-2g'));
const map32 = buildMemoryMap(boot32.state, boot32.lines, boot32.traits, 't32');

/** Every <g class="region …" …> of an SVG, as its attributes. */
function svgRegions(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<g class="region[^"]*" ([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

describe('model', () => {
  // expect one e820 region per firmware and kernel table entry, at the entry's addresses, labelled with its type
  test('map_e820_regions: expect each raw BIOS, e820_table_firmware and e820_table entry as a region with its range and type', () => {
    const e820 = sliceIfAny(boot64.state, 'e820')!;
    const fw = map64.physical.filter((r) => r.layer === 'e820-firmware');
    expect(fw.map((r) => [r.start, r.end])).toEqual(e820.firmwareTable.map((e) => [e.addr, e.addr + e.size]));
    expect(map64.physical.filter((r) => r.layer === 'e820').map((r) => [r.start, r.end])).toEqual(e820.table.map((e) => [e.addr, e.addr + e.size]));
    // the raw map int 15h e820 hands over, in SeaBIOS order, before the kernel sanitises it
    expect(map64.physical.filter((r) => r.layer === 'e820-bios').map((r) => [r.start, r.end])).toEqual(e820.firmware.e820.map((e) => [e.addr, e.addr + e.size]));
    // each firmware entry is printed by its BIOS-e820 line, and the derivation carries that line's explain terms
    for (const r of fw) {
      expect(r.printedBy).toMatch(/^BIOS-e820: \[mem /);
      expect(printedRanges(r.printedBy!)).toEqual([{ start: r.start, end: r.end }]);
      expect(r.derivation.some((d) => d.startsWith('type: '))).toBe(true);
    }
    expect(fw[0]!.label).toBe(`usable ${sizeText(fw[0]!.end - fw[0]!.start)}`);
  });

  // expect every ledger entry drawn (one region per range it made), labelled with its why and carrying its rule
  test('map_ledger_regions: expect a memblock.reserved region per made range of every ledger entry, with why and source', () => {
    const mb = sliceIfAny(boot64.state, 'memblock')!;
    const reserved = map64.physical.filter((r) => r.layer === 'memblock-reserved');
    expect(reserved.length).toBe(mb.ledger.reduce((n, e) => n + (e.made ?? e.ranges).length, 0));
    mb.ledger.forEach((e, i) => {
      const mine = reserved.filter((r) => r.ledgerEntry === i);
      expect(mine.map((r) => [r.start, r.end])).toEqual((e.made ?? e.ranges).map((x) => [x.start, x.end]));
      for (const r of mine) {
        expect(r.label).toBe(e.why);
        expect(r.derivation).toContain(`rule: ${e.source}`);
      }
    });
    for (const name of ['kernel image', 'NODE_DATA', 'percpu', 'Dentry', 'real-mode']) expect(reserved.some((r) => r.label.includes(name)), name).toBe(true);
    expect(map64.physical.filter((r) => r.layer === 'memblock-memory').map((r) => [r.start, r.end])).toEqual(mb.memory.map((m) => [m.start, m.end]));
  });

  // expect the zones each node spans, the node, and the holes between e820 entries
  test('map_zones_nodes_holes: expect DMA and DMA32 of node 0 at their spans, node 0, and the gap at 640K as a hole', () => {
    const zones = sliceIfAny(boot64.state, 'zones')!;
    const z = map64.physical.filter((r) => r.layer === 'zone');
    const spans = zones.nodes.flatMap((n) => n.zones.filter((x) => x.spannedPages > 0n).map((x) => [x.startPfn << 12n, (x.startPfn + x.spannedPages) << 12n]));
    expect(z.map((r) => [r.start, r.end])).toEqual(spans);
    expect(z.map((r) => r.label)).toEqual(['DMA node 0', 'DMA32 node 0']);
    expect(map64.physical.filter((r) => r.layer === 'node').map((r) => r.label)).toEqual([expect.stringMatching(/^node 0 /)]);
    expect(map64.physical.some((r) => r.layer === 'hole' && r.start === 0xa0000n && r.end === 0xf0000n)).toBe(true);
    // and the absent pages of node 0's zones: spanned − present, summed over its holes
    const absent = map64.physical.filter((r) => r.kind === 'zone-hole').reduce((n, r) => n + ((r.end - r.start) >> 12n), 0n);
    const n0 = zones.nodes[0]!;
    expect(absent).toBe(n0.zones.reduce((n, x) => n + x.spannedPages - x.presentPages, 0n));
    expect(absent).toBeGreaterThan(0n);
  });

  // expect the i386 layout in address order, from PAGE_OFFSET to FIXADDR_TOP, vmalloc ending at VMALLOC_END; none on x86_64
  test('map_virtual_i386: expect direct map at PAGE_OFFSET, vmalloc to VMALLOC_END, pkmap at PKMAP_BASE, fixmap to FIXADDR_TOP', () => {
    const lm = sliceIfAny(boot32.state, 'lowmem32')!;
    const v = map32.virtual;
    const at = (label: string) => v.find((r) => r.label === label)!;
    expect(at('direct map (lowmem)').start).toBe(lm.layout.pageOffset);
    expect(at('direct map (lowmem)').end).toBe(lm.layout.pageOffset + (lm.maxLowPfn << 12n));
    expect(at('vmalloc').start).toBe(at('direct map (lowmem)').end + (8n << 20n));
    expect(at('vmalloc').end).toBe(lm.layout.vmallocEnd);
    expect(at('pkmap').start).toBe(lm.layout.pkmapBase);
    expect(at('fixmap').end).toBe(FIXADDR_TOP);
    expect(at('__VMALLOC_RESERVE (from MAXMEM)').start).toBe(lm.layout.pageOffset + (lm.layout.maxmemPfn << 12n));
    expect(at('__VMALLOC_RESERVE (from MAXMEM)').end).toBe(lm.layout.vmallocEnd);
    for (let i = 1; i < v.length; i++) expect(v[i]!.start >= v[i - 1]!.start).toBe(true);
    // vmalloc= moves MAXMEM: the reserve starts at the layout's MAXMEM_PFN there too
    const vm = traceSpec(profile('i386-6.1-686-pc-1g-vmalloc'));
    const lmv = sliceIfAny(vm.state, 'lowmem32')!;
    const reserve = virtualLayout32(vm.state).find((r) => r.label === '__VMALLOC_RESERVE (from MAXMEM)')!;
    expect(lmv.layout.maxmemPfn).not.toBe(lm.layout.maxmemPfn);
    expect([reserve.start, reserve.end]).toEqual([lmv.layout.pageOffset + (lmv.layout.maxmemPfn << 12n), lmv.layout.vmallocEnd]);
    expect(virtualLayout32(boot64.state)).toEqual([]);
  });
});

describe('svg', () => {
  // expect one <g class="region"> per region, with data-region, data-layer, data-start, data-end and data-label as the model has them
  test('svg_one_element_per_region: expect each region once, with its id, layer, label and [start, end) in hex', () => {
    for (const map of [map64, map32]) {
      const svg = renderMapSvg(map);
      const got = svgRegions(svg);
      const all = [...map.physical, ...map.virtual];
      expect(got.length).toBe(all.length);
      expect(got.map((g) => [g['data-region'], g['data-layer'], g['data-start'], g['data-end']])).toEqual(all.map((r) => [r.id, r.layer, hex64(r.start), hex64(r.end)]));
      expect(new Set(got.map((g) => g['data-region'])).size).toBe(all.length);
      const e = all.find((r) => r.layer === 'e820-firmware')!;
      expect(got.find((g) => g['data-region'] === e.id)!['data-label']).toBe(e.label);
    }
  });

  // expect the hover text (<title>) of a region to hold its range and derivation
  test('svg_title_derivation: expect a region title with its kernel-style range and its derivation rows', () => {
    const svg = renderMapSvg(map64);
    const node = map64.physical.find((r) => r.label.startsWith('NODE_DATA'))!;
    const m = new RegExp(`data-region="${node.id}"[^>]*><title>([^<]*)</title>`).exec(svg);
    expect(m).not.toBeNull();
    expect(m![1]).toContain(`[${hex64(node.start)}-${hex64(node.end - 1n)}]`);
    expect(m![1]).toContain('rule: ');
  });

  // expect the scale: 4K is BAND_MIN tall, 64G is BAND_MIN + 24 doublings, larger is taller, and boundaries stay in order
  test('svg_axis_piecewise_log: expect 4K → 6 px, 64G → 66 px, monotone, and every boundary at increasing y', () => {
    expect(bandHeight(4096n)).toBe(BAND_MIN);
    expect(bandHeight(1024n)).toBe(BAND_MIN);
    expect(bandHeight(64n << 30n)).toBeCloseTo(BAND_MIN + BAND_PER_DOUBLING * 24, 9);
    expect(bandHeight(1n << 80n)).toBeCloseTo(BAND_MIN + BAND_PER_DOUBLING * 68, 9);
    expect(bandHeight(8192n)).toBeGreaterThan(bandHeight(4096n));
    const axis = buildAxis(map64.physical);
    for (let i = 1; i < axis.bounds.length; i++) expect(axis.y.get(axis.bounds[i]!)!).toBeGreaterThan(axis.y.get(axis.bounds[i - 1]!)!);
  });

  // expect overlapping regions of a column in separate lanes, disjoint ones sharing lane 0
  test('svg_lanes: expect two overlapping regions in lanes 0 and 1, a third after both in lane 0', () => {
    const r = (id: string, s: bigint, e: bigint) => ({ id, layer: 'memblock-reserved' as const, label: id, start: s, end: e, kind: 'k', derivation: [] });
    const { lane, lanes } = assignLanes([r('a', 0n, 10n), r('b', 5n, 20n), r('c', 20n, 30n)]);
    expect([lane.get('a'), lane.get('b'), lane.get('c'), lanes]).toEqual([0, 1, 0, 2]);
  });

  // expect the same input to give the same bytes, SVG and HTML, and the page to load nothing from outside
  test('map_deterministic_self_contained: expect identical bytes from two builds, and no http(s) or src= in the page', () => {
    const again = traceSpec(profile('x86_64-6.1-pc-512m'));
    const map2 = buildMemoryMap(again.state, again.lines, again.traits, 't');
    expect(renderMapSvg(map2)).toBe(renderMapSvg(map64));
    const html = renderMapHtml(map64, 'sub');
    expect(renderMapHtml(map2, 'sub')).toBe(html);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('id="derivation"');
  });
});

describe('golden', () => {
  const dir = path.join(goldensDir, 'x86_64-6.1-pc-512m');
  const count = (m: MemoryMap, g: string) => [...m.physical, ...m.virtual].filter((r) => r.golden === g).length;

  // expect the profile's own memblock=debug capture to agree on every region a line or the ledger checks, and another size's to differ
  test('golden_marks: expect 0 differing regions against the own capture, many against the 256M one, every region marked', () => {
    const own = readFileSync(path.join(dir, 'serial-memblock.log'));
    const r = mapOf(profile('x86_64-6.1-pc-512m'), { raw: own, file: 'own' });
    expect(count(r.map, 'differs')).toBe(0);
    expect(count(r.map, 'same')).toBeGreaterThan(50);
    expect(r.spec.cmdline).toContain('memblock=debug');
    const other = readFileSync(path.join(goldensDir, 'x86_64-6.1-pc-256m', 'serial-memblock.log'));
    const x = mapOf(profile('x86_64-6.1-pc-512m'), { raw: other, file: 'other' });
    expect(count(x.map, 'differs')).toBeGreaterThan(20);
    // the e820 usable entry below 4G differs (256M vs 512M), the first-1M reservation does not
    expect(x.map.physical.find((r) => r.layer === 'e820-firmware' && r.start === 0x100000n)!.golden).toBe('differs');
    for (const m of [r.map, x.map]) expect(count(m, 'same') + count(m, 'differs') + count(m, 'unchecked')).toBe(m.physical.length + m.virtual.length);
  });

  // expect a log without memblock=debug lines to leave the reservations unchecked and still compare the printed ranges
  test('golden_without_memblock_debug: expect reservations unchecked, e820 regions compared', () => {
    const m = markAgainstGolden(map64, readFileSync(path.join(dir, 'serial.log')), 'serial.log');
    expect(m.memblockDebug).toBe(false);
    const res = m.map.physical.filter((r) => r.layer === 'memblock-reserved' && r.printedBy === undefined);
    expect(res.length).toBeGreaterThan(0);
    for (const r of res) expect(r.golden).toBe('unchecked');
    for (const r of m.map.physical.filter((x) => x.layer === 'e820-firmware')) expect(r.golden).toBe('same');
    expect(renderMapSvg(m.map)).toContain('data-golden="same"');
  });
});

describe('every golden', () => {
  // expect a map of a golden of each shape (tests/golden-profiles.ts goldenShapes: every kernel, machine
  // type, NUMA or not, state probe or not) of the modern, 3.0, 2.6.34 and 2.6.11 pipelines: regions well
  // formed, at distinct ids, each drawn once. It drew all 236 goldens (~2.5 s CPU of the suite); the map's
  // drawing depends on the state's shape, which these cover, not on each golden's numbers.
  test('map_every_shape: expect start < end, unique ids, one <g class="region"> each, for a golden of each shape of the modern, 3.0, 2.6.34 and 2.6.11 pipelines', () => {
    const names = goldenShapes();
    // every kernel of the goldens is among them
    expect(new Set(names.map((n) => profile(n).kernel))).toEqual(new Set(goldenNames().map((n) => profile(n).kernel)));
    const bad: string[] = [];
    let drawn = 0;
    for (const name of names) {
      const spec = profile(name);
      let t;
      try {
        t = traceSpec(spec);
      } catch (e) {
        if (e instanceof ReportError && e.code === 'REPORT_PIPELINE_NOT_DRAWN') continue;
        throw e;
      }
      const m = buildMemoryMap(t.state, t.lines, t.traits, name);
      const all = [...m.physical, ...m.virtual];
      if (all.some((r) => r.end <= r.start) || new Set(all.map((r) => r.id)).size !== all.length || svgRegions(renderMapSvg(m)).length !== all.length) bad.push(name);
      // the 3.0 pipeline keeps no reservations in its state: its map says so instead
      const noLedger = t.traits.earlyAllocator === 'nobootmem' && (m.notDrawn ?? []).some((n) => n.startsWith('reservations:'));
      if ((!noLedger && !all.some((r) => r.layer === 'memblock-reserved')) || !all.some((r) => r.layer === 'zone')) bad.push(`${name}: no reservations or zones`);
      drawn++;
    }
    expect(bad).toEqual([]);
    expect(drawn).toBeGreaterThan(40);
  });
});

describe('the old pipelines', () => {
  const rangesOf = (m: MemoryMap, layer: string, kind?: string) => m.physical.filter((r) => r.layer === layer && (kind === undefined || r.kind === kind)).map((r) => [r.start, r.end]);
  const oneGEach = (m: MemoryMap) => {
    const g = svgRegions(renderMapSvg(m));
    expect(g.map((a) => [a['data-region'], BigInt(a['data-start']!), BigInt(a['data-end']!)])).toEqual(m.physical.map((r) => [r.id, r.start, r.end]));
  };

  // expect a 2.6.34 golden's map from its legacy30 slice: e820.map, early_node_map, early_res[], bootmem, zones; one <g> per region
  test('map_34_golden: expect one region per e820.map entry, active range, early_res slot, bootmem range and zone, one <g> each, their printed lines as the real boot printed them', () => {
    const name = 'i386-2.6.34-pc-1g';
    const t = traceSpec(profile(name));
    const lm = sliceIfAny(t.state, 'legacy30')!;
    const m = buildMemoryMap(t.state, t.lines, t.traits, name);
    expect(rangesOf(m, 'e820')).toEqual(lm.e820.map((e) => [e.addr, e.addr + e.size]));
    expect(rangesOf(m, 'memblock-memory')).toEqual(lm.activeRanges!.map((r) => [r.startPfn << 12n, r.endPfn << 12n]));
    expect(rangesOf(m, 'memblock-reserved', 'early_res')).toEqual(lm.earlyRes!.map((r) => [r.start, r.end]));
    expect(rangesOf(m, 'memblock-reserved', 'bootmem')).toEqual(lm.bootmem!.reserved.map((r) => [r.start << 12n, r.end << 12n]));
    expect(rangesOf(m, 'zone')).toEqual(lm.zones!.filter((z) => z.spanned > 0n).map((z) => [z.startPfn << 12n, (z.startPfn + z.spanned) << 12n]));
    expect(m.physical.filter((r) => r.layer === 'memblock-reserved' && r.kind === 'early_res').map((r) => r.label)).toEqual(lm.earlyRes!.map((r) => r.name));
    // each early_res slot is printed by its "#n [start - end] name" line
    for (const r of m.physical.filter((x) => x.kind === 'early_res')) expect(r.printedBy).toMatch(/^ {2}#\d+ \[[0-9a-f]{10} - [0-9a-f]{10}\] +\S/);
    expect(m.virtual).toEqual([]);
    expect(m.notDrawn!.some((n) => n.startsWith('virtual (i386): the legacy30 state holds max_low_pfn but not'))).toBe(true);
    oneGEach(m);
    const svg = renderMapSvg(m);
    expect(svg).toContain('data-column="memblock-reserved">early_res / bootmem');
    const marked = markAgainstGolden(m, readFileSync(path.join(goldensDir, name, 'serial.log')), 'serial.log');
    expect(marked.counts.differs).toBe(0);
    // the early_res slots are checked by their own printed lines; the note counts only the reservations no line prints
    const unprinted = m.physical.filter((r) => r.layer === 'memblock-reserved' && r.printedBy === undefined).length;
    expect(unprinted).toBeLessThan(m.physical.filter((r) => r.layer === 'memblock-reserved').length);
    expect(marked.map.golden?.note).toContain(`so ${unprinted} reservation${unprinted === 1 ? ' is' : 's are'} unchecked`);
    expect(marked.counts.same).toBe(m.physical.filter((r) => r.printedBy !== undefined).length);
    expect(marked.counts.same).toBeGreaterThanOrEqual(lm.earlyRes!.length + lm.zones!.filter((z) => z.spanned > 0n).length);
    // a line the real boot did not print is marked as differing
    const wrong = { ...m, physical: m.physical.map((r) => (r.kind === 'early_res' ? { ...r, printedBy: `${r.printedBy!}x` } : r)) };
    expect(markAgainstGolden(wrong, readFileSync(path.join(goldensDir, name, 'serial.log')), 'serial.log').counts.differs).toBe(lm.earlyRes!.length);
  });

  // expect a 2.6.11 golden's map (i386 and x86_64) from its legacy2611 slice: e820.map, the RAM freed to bootmem, the bitmap's set ranges, node 0, the zones
  test.each(['x86_64-2.6.11-pc-4g-2cpu', 'i386-2.6.11-pc-1g'])('map_2611_golden %s: expect one region per e820.map entry, RAM range, set bootmem range and zone with pages, node 0 over bootmem\'s span, one <g> each, nothing differing from the real boot', (name) => {
    const t = traceSpec(profile(name));
    const l = sliceIfAny(t.state, 'legacy2611')!;
    const m = buildMemoryMap(t.state, t.lines, t.traits, name);
    expect(rangesOf(m, 'e820')).toEqual(l.e820.map((e) => [e.addr, e.addr + e.size]));
    // RAM entries rounded inwards to whole pages
    expect(rangesOf(m, 'memblock-memory')).toEqual(l.e820.filter((e) => e.type === 1).map((e) => [((e.addr + 0xfffn) >> 12n) << 12n, ((e.addr + e.size) >> 12n) << 12n]));
    expect(rangesOf(m, 'memblock-reserved', 'bootmem')).toEqual(l.bootmem!.reserved.map((r) => [r.start << 12n, r.end << 12n]));
    expect(rangesOf(m, 'node')).toEqual([[0n, l.bootmem!.lowPfn << 12n]]);
    expect(rangesOf(m, 'zone')).toEqual(l.zones!.filter((z) => z.size > 0n).map((z) => [z.startPfn << 12n, (z.startPfn + z.size) << 12n]));
    expect(m.virtual).toEqual([]);
    oneGEach(m);
    expect(markAgainstGolden(m, readFileSync(path.join(goldensDir, name, 'serial.log')), 'serial.log').counts.differs).toBe(0);
  });
  test('map_2611_node_printed: expect the x86_64 node region printed by its "Bootmem setup node 0" line, and the e820 entries by their BIOS-e820 lines', () => {
    const name = 'x86_64-2.6.11-q35-768m-2cpu';
    const t = traceSpec(profile(name));
    const m = buildMemoryMap(t.state, t.lines, t.traits, name);
    expect(m.physical.find((r) => r.layer === 'node')?.printedBy).toBe('Bootmem setup node 0 0000000000000000-000000002ffdf000');
    expect(m.physical.filter((r) => r.layer === 'e820').every((r) => r.printedBy?.startsWith(' BIOS-e820: '))).toBe(true);
  });

  // expect a 3.0 golden's map: e820.map, active ranges, zones, no reservations (its state has none), and the page naming what is not drawn
  test('map_30_golden: expect one region per e820.map entry, active range and zone, one <g> each, no reservations and the not-drawn note', () => {
    const name = 'i386-3.0-q35-4g-4cpu';
    const t = traceSpec(profile(name));
    const lm = sliceIfAny(t.state, 'legacy30')!;
    const m = buildMemoryMap(t.state, t.lines, t.traits, name);
    expect(rangesOf(m, 'e820')).toEqual(lm.e820.map((e) => [e.addr, e.addr + e.size]));
    expect(rangesOf(m, 'memblock-memory')).toEqual(lm.activeRanges!.map((r) => [r.startPfn << 12n, r.endPfn << 12n]));
    expect(rangesOf(m, 'zone')).toEqual(lm.zones!.filter((z) => z.spanned > 0n).map((z) => [z.startPfn << 12n, (z.startPfn + z.spanned) << 12n]));
    expect(m.physical.filter((r) => r.layer === 'zone').map((r) => r.label)).toEqual(['DMA node 0', 'Normal node 0', 'HighMem node 0']);
    expect(rangesOf(m, 'memblock-reserved')).toEqual([]);
    expect(m.notDrawn!.some((n) => n.startsWith('reservations: the 3.0 pipeline keeps no'))).toBe(true);
    oneGEach(m);
    // the zones are printed by "Zone PFN ranges:" lines
    for (const r of m.physical.filter((x) => x.layer === 'zone')) expect(r.printedBy).toMatch(/^ {2}(DMA|Normal|HighMem) +0x[0-9a-f]{8} -> 0x[0-9a-f]{8}$/);
    const html = renderMapHtml(m, 'sub');
    expect(html).toContain('class="not-drawn"');
    expect(html.match(/data-not-drawn/g)!.length).toBe(m.notDrawn!.length);
    const marked = markAgainstGolden(m, readFileSync(path.join(goldensDir, name, 'serial.log')), 'serial.log');
    expect(marked.counts.differs).toBe(0);
    expect(marked.counts.same).toBeGreaterThan(0);
  });
});
