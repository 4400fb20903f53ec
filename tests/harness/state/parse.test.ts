// The state.log parser: every state golden parses whole, its sections agree with each other and
// with the kernel's own rules where those are plain arithmetic, and each kind of broken log is
// refused with its code at the line.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../../sim/base/paths.ts';
import { STATE_BLOCKS, STATE_MARK } from '../../../qemu-scripts/initramfs/image.ts';
import { StateError, parseStateLog, stateBlocks, type StateCode } from '../../../harness/state/parse.ts';

const stateGoldens = readdirSync(goldensDir)
  .filter((d) => existsSync(path.join(goldensDir, d, 'state.log')))
  .sort();

function codeAt(text: string): { code: StateCode; line: number | undefined } {
  try {
    parseStateLog(text, 'state.log');
  } catch (e) {
    if (e instanceof StateError) return { code: e.code, line: e.pos?.line };
    throw e;
  }
  throw new Error('expected a StateError, got none');
}

/** A minimal log: every block, each holding the lines given for it (or one valid line). */
function log(over: Partial<Record<(typeof STATE_BLOCKS)[number], string[]>> = {}, done = true): string {
  const minimal: Record<(typeof STATE_BLOCKS)[number], string[]> = {
    '/proc/zoneinfo': ['Node 0, zone      DMA', '  pages free     3808', '        min      22', '        protection: (0, 432, 432, 432, 432)', '      nr_free_pages 3808', '  pagesets', '    cpu: 0', '              count: 0', '              high:  13', '              batch: 1', '  vm stats threshold: 4', '  node_unreclaimable:  0', '  start_pfn:           1'],
    '/proc/meminfo': ['MemTotal:         482452 kB', 'HugePages_Total:       0'],
    '/proc/slabinfo': ['slabinfo - version: 2.1', '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>', 'kmalloc-8           3584   3584      8  512    1 : tunables    0    0    0 : slabdata      7      7      0'],
    '/proc/iomem': ['00000000-00000fff : Reserved', '00100000-1ffdffff : System RAM', '  01000000-01e00ef6 : Kernel code'],
    '/proc/pagetypeinfo': ['Page block order: 9', 'Pages per block:  512', '', 'Free pages count per migrate type at order       0      1 ', 'Node    0, zone      DMA, type    Unmovable      0      0 ', '', 'Number of blocks type     Unmovable      Movable ', 'Node 0, zone      DMA            1            7 '],
    '/proc/buddyinfo': ['Node 0, zone      DMA      0      0      0 '],
    '/proc/vmstat': ['nr_free_pages 110430'],
    '/sys/kernel/slab': ['kmalloc-8 8 8 512 0'],
  };
  const lines: string[] = [];
  for (const b of STATE_BLOCKS) lines.push(STATE_MARK.begin(b), ...(over[b] ?? minimal[b]), STATE_MARK.end(b));
  if (done) lines.push(STATE_MARK.done);
  return `${lines.join('\r\n')}\r\n`;
}

describe('parseStateLog on the state goldens', () => {
  test('state_goldens_count: expect at least 14 state goldens (issue 13 item 6)', () => {
    expect(stateGoldens.length).toBeGreaterThanOrEqual(14);
  });

  test.each(stateGoldens)('parse %s: every block read, and the sections agree with each other', (name) => {
    const s = parseStateLog(readFileSync(path.join(goldensDir, name, 'state.log'), 'utf8'), `${name}/state.log`);
    expect([...s.blocks.keys()]).toEqual([...STATE_BLOCKS]);
    // zoneinfo: managed ≤ present ≤ spanned in every zone; protection has one entry per zone of the node
    const perNode = new Map<number, number>();
    for (const z of s.zoneinfo) perNode.set(z.node, (perNode.get(z.node) ?? 0) + 1);
    // 3.0.1 prints no managed line, walks the populated zones only and prints lowmem_reserve[] of all
    // MAX_NR_ZONES (mm/vmstat.c zoneinfo_show_print, walk_zones_in_node); its present_pages is not totalram
    const old = s.zoneinfo.every((z) => z.fields.managed === undefined);
    for (const z of s.zoneinfo) {
      expect((old || z.fields.managed! <= z.fields.present!) && z.fields.present! <= z.fields.spanned!, `${z.node}/${z.zone}`).toBe(true);
      if (old) expect(z.protection.length).toBeGreaterThanOrEqual(perNode.get(z.node)!);
      else expect(z.protection.length).toBe(perNode.get(z.node));
      expect(z.fields.min! <= z.fields.low! && z.fields.low! <= z.fields.high!).toBe(true);
      if (z.populated) expect(z.pagesets.length).toBeGreaterThan(0);
    }
    // fs/proc/meminfo.c: MemTotal is totalram_pages(), the sum of the zones' managed pages (5.10 on)
    const managedK = s.zoneinfo.reduce((a, z) => a + z.fields.managed!, 0) * 4;
    if (!old) expect(s.meminfo.get('MemTotal')).toEqual({ value: managedK, unit: 'kB' });
    // mm/vmstat.c: nr_free_pages in /proc/vmstat and MemFree in meminfo are the same counter (read a moment apart)
    expect(s.vmstat.has('nr_free_pages')).toBe(true);
    // buddyinfo has a row per populated zone, with one count per order as pagetypeinfo's table
    const populated = s.zoneinfo.filter((z) => z.populated).map((z) => `${z.node}/${z.zone}`);
    expect(s.buddyinfo.map((b) => `${b.node}/${b.zone}`)).toEqual(populated);
    expect(new Set(s.buddyinfo.map((b) => b.free.length)).size).toBe(1);
    // pagetypeinfo: pages per block is 1 << pageblock order
    expect(s.pagetypeinfo.pagesPerBlock).toBe(2 ** s.pagetypeinfo.pageblockOrder);
    expect(s.pagetypeinfo.blocks.map((b) => `${b.node}/${b.zone}`)).toEqual(populated);
    // iomem: System RAM at depth 0; each child inside its parent
    expect(s.iomem.some((r) => r.depth === 0 && r.name === 'System RAM')).toBe(true);
    const stack: typeof s.iomem[number][] = [];
    for (const r of s.iomem) {
      stack.length = r.depth;
      const parent = stack[r.depth - 1];
      if (parent) expect(r.start >= parent.start && r.end <= parent.end, `${r.name} in ${parent.name}`).toBe(true);
      stack.push(r);
    }
    // slab geometry: a real cache per line, none twice; objs_per_slab × slab_size within (PAGE_SIZE << order)
    expect(new Set(s.slab.map((c) => c.name)).size).toBe(s.slab.length);
    for (const c of s.slab) expect(c.objsPerSlab * c.slabSize).toBeLessThanOrEqual(4096 * 2 ** c.order);
    // slabinfo and /sys/kernel/slab tell the same objperslab for each cache both list
    const bySys = new Map(s.slab.map((c) => [c.name, c]));
    const both = s.slabinfo.caches.filter((c) => bySys.has(c.name));
    // (3.0.1 mm/slub.c sysfs_slab_add: a mergeable cache's directory is its ":<flags>-<size>" unique id, its name only a symlink the probe skips; few 3.0.1 caches are unmergeable)
    expect(both.length).toBeGreaterThan(old ? 0 : s.slabinfo.caches.length / 2);
    for (const c of both) expect([c.name, c.objperslab, c.pagesperslab]).toEqual([c.name, bySys.get(c.name)!.objsPerSlab, 2 ** bySys.get(c.name)!.order]);
  });
});

describe('parseStateLog refusals', () => {
  test('minimal: expect the minimal log to parse, CRLF or LF', () => {
    expect(parseStateLog(log(), 'state.log').slab).toEqual([{ name: 'kmalloc-8', objectSize: 8, slabSize: 8, objsPerSlab: 512, order: 0 }]);
    expect(parseStateLog(log().replace(/\r\n/g, '\n'), 'state.log').meminfo.get('HugePages_Total')).toEqual({ value: 0, unit: undefined });
  });

  test.each<[string, string, StateCode, number]>([
    ['no_done', log({}, false), 'STATE_NOT_DONE', 49],
    ['failed', log().replace('kmalloc-8 8 8 512 0', STATE_MARK.failed('/sys/kernel/slab/kmalloc-8')), 'STATE_PROBE_FAILED', 47],
    ['printk_inside', log({ '/proc/meminfo': ['MemTotal:         482452 kB', '[    9.000000] random: crng init done'] }), 'STATE_BAD_LINE', 18],
    ['unknown_block', log().replace(STATE_MARK.begin('/proc/vmstat'), STATE_MARK.begin('/proc/vmallocinfo')), 'STATE_BAD_MARKER', 43],
    ['begin_inside', log().replace(STATE_MARK.end('/proc/meminfo'), STATE_MARK.begin('/proc/slabinfo')), 'STATE_BAD_MARKER', 19],
    ['missing_block', log().replace(/@@bootsim-state begin \/proc\/buddyinfo@@\r\n.*\r\n@@bootsim-state end \/proc\/buddyinfo@@\r\n/, ''), 'STATE_MISSING_BLOCK', 47],
    ['zoneinfo_line', log({ '/proc/zoneinfo': ['Node 0, zone      DMA', '  pages free     3808', 'garbage', '        protection: (0)'] }), 'STATE_BAD_LINE', 4],
    ['zoneinfo_no_protection', log({ '/proc/zoneinfo': ['Node 0, zone      DMA', '  pages free     3808'] }), 'STATE_BAD_LINE', 4],
    ['slab_line', log({ '/sys/kernel/slab': ['kmalloc-8 8 8 x 0'] }), 'STATE_BAD_LINE', 47],
    ['iomem_depth', log({ '/proc/iomem': ['    00000000-00000fff : Reserved'] }), 'STATE_BAD_LINE', 26],
    ['meminfo_twice', log({ '/proc/meminfo': ['MemTotal: 1 kB', 'MemTotal: 1 kB'] }), 'STATE_BAD_LINE', 18],
    ['pagetype_counts', log({ '/proc/pagetypeinfo': ['Page block order: 9', 'Pages per block:  512', 'Number of blocks type     Unmovable      Movable ', 'Node 0, zone      DMA            1 '] }), 'STATE_BAD_LINE', 34],
    ['text_between', log().replace(STATE_MARK.begin('/proc/iomem'), `stray\r\n${STATE_MARK.begin('/proc/iomem')}`), 'STATE_BAD_LINE', 25],
  ])('refuse_%s', (_name, text, code, line) => {
    expect(codeAt(text)).toEqual({ code, line });
  });

  test('stateBlocks_lines: expect each block\'s first line number and its lines without CR', () => {
    const b = stateBlocks(log(), 'state.log');
    expect(b.get('/proc/meminfo')).toEqual({ name: '/proc/meminfo', firstLine: 17, lines: ['MemTotal:         482452 kB', 'HugePages_Total:       0'] });
  });
});
