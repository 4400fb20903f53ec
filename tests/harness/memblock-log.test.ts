// The memblock=debug reader replays recorded logs (tests/fixtures/logs/README.md): normal,
// truncated, not UTF-8, 7.2's nid/flags form and i386's 32-bit %pa, plus hand-built edge cases.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { memblockFrees, memblockOperations, parseMemblockLog, sourceFunction, type MemblockLog } from '../../harness/memblock-log.ts';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url));
const read = (name: string): MemblockLog => parseMemblockLog(fixture(name), `tests/fixtures/logs/${name}`);
const ts = (lines: string[]): string => lines.map((l, i) => `[    0.${String(i).padStart(6, '0')}] ${l}`).join('\n') + '\n';

describe('parseMemblockLog on recorded logs', () => {
  test('normal_6.1: expect every memblock line read, in order, with raw line numbers and no problem', () => {
    const log = read('memblock-6.1-x86_64-pc-512m.log');
    expect(log.problems).toEqual([]);
    // grep -c memblock_ over the fixture's kernel lines, less the two command-line echoes
    expect(log.lines).toHaveLength(117);
    expect(log.lines[0]).toEqual({
      kind: 'range', line: 30, fn: 'memblock_reserve', start: 0xf5ba0n, end: 0xf5bb0n,
      caller: { name: 'smp_scan_config', fn: 'smp_scan_config', offset: 0xa7, size: 0xff },
    });
    expect(log.lines.find((l) => l.line === 84)).toEqual({
      kind: 'alloc', line: 84, fn: 'memblock_alloc_try_nid', size: 32768n, align: 0x40n, nid: -1, from: 0n, maxAddr: 0n,
      caller: { name: 'sparse_init', fn: 'sparse_init', offset: 0x9f, size: 0x23c },
    });
    // memblock_phys_alloc_range prints no nid
    expect(log.lines.find((l) => l.line === 44)).toMatchObject({ kind: 'alloc', fn: 'memblock_phys_alloc_range', size: 28672n, align: 0x1000n, nid: undefined, maxAddr: 0x100000n });
    // a compiler clone keeps its printed name; fn is the source function
    expect(log.lines.find((l) => l.line === 92)).toMatchObject({ caller: { name: 'vmemmap_alloc_block_zero.constprop.0', fn: 'vmemmap_alloc_block_zero' } });
  });

  test('normal_6.1: expect the memblock_dump_all() after e820__memblock_setup read region by region', () => {
    const log = read('memblock-6.1-x86_64-pc-512m.log');
    expect(log.dumps.map((d) => d.line)).toEqual([35, 75]);
    expect(log.dumps[0]).toEqual({
      line: 35, memorySize: 0x1ff7ec00n, reservedSize: 0x3482000n,
      memory: [{ start: 0x1000n, end: 0x9f000n, nid: undefined, flags: 0 }, { start: 0x100000n, end: 0x1ffe0000n, nid: undefined, flags: 0 }],
      reserved: [{ start: 0n, end: 0x10000n, nid: undefined, flags: 0 }, { start: 0x9f000n, end: 0x100000n, nid: undefined, flags: 0 }, { start: 0x1000000n, end: 0x4411000n, nid: undefined, flags: 0 }],
    });
  });

  test('7.2: expect the second dump\'s "on node" and flags read', () => {
    const log = read('memblock-7.2-x86_64-pc-512m.log');
    expect(log.dumps.map((d) => d.line)).toEqual([40, 80]);
    expect(log.dumps[0]!.reserved.at(-1)).toEqual({ start: 0x1000000n, end: 0x4211000n, nid: undefined, flags: 0x20 });
    expect(log.dumps[1]!.memory[0]).toEqual({ start: 0x1000n, end: 0x9f000n, nid: 0, flags: 0 });
  });

  test('dump_cut: expect MEMBLOCK_DUMP_INCOMPLETE where the listing stops short of its count', () => {
    const log = parseMemblockLog(ts([
      'MEMBLOCK configuration:', ' memory size = 0x0000000000001000 reserved size = 0x0000000000000000', ' memory.cnt  = 0x2',
      ' memory[0x0]\t[0x0000000000001000-0x0000000000001fff], 0x0000000000001000 bytes flags: 0x0', 'ACPI: Early table checksum verification disabled',
    ]), 't.log');
    expect(log.dumps).toEqual([]);
    expect(log.problems.map((p) => [p.line, p.code])).toEqual([[5, 'MEMBLOCK_DUMP_INCOMPLETE']]);
  });

  test('normal_6.1: expect each request paired with the reserve memblock_alloc_range_nid makes for it', () => {
    const { ops, problems } = memblockOperations(read('memblock-6.1-x86_64-pc-512m.log'));
    expect(problems).toEqual([]);
    expect(ops.slice(0, 6).map((o) => [o.op, o.line, o.start, o.size, o.caller?.fn])).toEqual([
      ['reserve', 30, 0xf5ba0n, 16n, 'smp_scan_config'],
      ['reserve', 31, 0xf5bb0n, 208n, 'smp_scan_config'],
      ['reserve', 32, 0x4400000n, 0x11000n, 'setup_arch'],
      ['alloc', 44, 0x98000n, 28672n, 'reserve_real_mode'],
      ['reserve', 46, 0n, 0x100000n, 'setup_arch'],
      ['alloc', 47, 0x1fc00000n, 0x200000n, 'init_mem_mapping'],
    ]);
    // NODE_DATA: memblock_phys_alloc_try_nid prints no request, only its reserve
    expect(ops.find((o) => o.line === 73)).toEqual({ op: 'alloc', line: 73, start: 0x1ffb5000n, size: 0x2b000n, caller: undefined });
    // frees and adds are not operations
    expect(ops.some((o) => o.line === 49 || o.line === 33)).toBe(false);
  });

  test('normal_6.1: expect the frees in order: the init_mem_mapping probe, percpu tails and temporaries, the unknown-options string', () => {
    const frees = memblockFrees(read('memblock-6.1-x86_64-pc-512m.log'));
    expect(frees.map((f) => [f.line, f.start, f.end - f.start, f.caller.fn])).toEqual([
      [49, 0x1fc00000n, 0x200000n, 'init_mem_mapping'],
      [160, 0x1f43e000n, 0xc2000n, 'pcpu_embed_first_chunk'],
      [161, 0x1f53e000n, 0xc2000n, 'pcpu_embed_first_chunk'],
      [191, 0x1ffa8000n, 0x1000n, 'pcpu_embed_first_chunk'],
      [192, 0x1ffa7000n, 0x1000n, 'pcpu_embed_first_chunk'],
      [210, 0x1ffa8e80n, 9n, 'start_kernel'],
    ]);
  });

  test('truncated: expect the cut line reported by number and the lines before it kept', () => {
    const log = read('memblock-truncated-6.1-x86_64-pc-512m.log');
    expect(log.problems.map((p) => [p.line, p.code])).toEqual([[90, 'MEMBLOCK_LINE_UNPARSED']]);
    expect(log.problems[0]!.message).toMatch(/^expected "memblock_alloc_exact_nid_raw: N bytes align=0x… nid=… from=0x… max_addr=0x… caller\+0x…\/0x…", got "memblock_alloc_exact_nid_raw: 8388608 bytes a"$/);
    expect(log.lines.at(-1)).toMatchObject({ line: 89, fn: 'memblock_reserve', start: 0x1ffabf00n });
  });

  test('not UTF-8: expect the normaliser\'s INVALID_UTF8 kept, the damaged memblock lines reported, the rest read', () => {
    const log = read('memblock-non-utf8-6.1-x86_64-pc-512m.log');
    expect(log.problems.map((p) => [p.line, p.code])).toEqual([
      [45, 'INVALID_UTF8'], [45, 'MEMBLOCK_LINE_UNPARSED'], [60, 'INVALID_UTF8'], [60, 'MEMBLOCK_LINE_UNPARSED'],
    ]);
    expect(log.lines.some((l) => l.line === 45 || l.line === 60)).toBe(false);
    expect(log.lines.some((l) => l.line === 62)).toBe(true);
  });

  test('7.2: expect __memblock_reserve\'s nid= and flags= read', () => {
    const log = read('memblock-7.2-x86_64-pc-512m.log');
    expect(log.problems).toEqual([]);
    const brk = log.lines.find((l) => l.kind === 'range' && l.caller.fn === 'setup_arch');
    expect(brk).toMatchObject({ fn: '__memblock_reserve', nid: -1, flags: 0x20 });
    const { ops } = memblockOperations(log);
    expect(ops.filter((o) => o.op === 'alloc' && o.caller?.fn === '__memblock_alloc_or_panic').length).toBeGreaterThan(0);
  });

  test('i386: expect 32-bit %pa (8 hex digits) read as well', () => {
    const log = read('memblock-6.1-i386-686-pc-1g.log');
    expect(log.problems).toEqual([]);
    expect(log.lines[2]).toMatchObject({ fn: 'memblock_reserve', start: 0x1ee6000n, end: 0x1ef6000n, caller: { fn: 'setup_arch' } });
  });
});

describe('parseMemblockLog on hand-built lines', () => {
  test('reserve_afterAllocOfOtherSize: expect MEMBLOCK_RESERVE_MISMATCH naming both sizes', () => {
    const log = parseMemblockLog(ts([
      'memblock_alloc_try_nid: 64 bytes align=0x40 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 f+0x1/0x2',
      'memblock_reserve: [0x0000000000001000-0x000000000000107f] memblock_alloc_range_nid+0xb0/0x13d',
    ]), 't.log');
    const { ops, problems } = memblockOperations(log);
    expect(problems).toEqual([{ line: 2, code: 'MEMBLOCK_RESERVE_MISMATCH', message: 'expected the reserve of the 64-byte request on line 1, got 128 bytes' }]);
    expect(ops).toHaveLength(1);
  });

  test('alloc_notServed: expect an allocation with no address (the kernel returned 0)', () => {
    const { ops } = memblockOperations(parseMemblockLog(ts([
      'memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 max_addr=0x0000000000100000 reserve_real_mode+0x50/0x89',
      'memblock_reserve: [0x0000000000000000-0x00000000000fffff] setup_arch+0x7e0/0xd4f',
    ]), 't.log'));
    expect(ops.map((o) => [o.op, o.start, o.caller?.fn])).toEqual([['alloc', undefined, 'reserve_real_mode'], ['reserve', 0n, 'setup_arch']]);
  });

  test.each([
    ['memblock_reserve: [0x1000-0x1fff]', 'no caller'],
    ['memblock_reserve: [0x1000-0x1fff] nid=-1 flags=0 f+0x1/0x2', 'nid= on a function that prints none'],
    ['__memblock_reserve: [0x1000-0x1fff] f+0x1/0x2', 'no nid= on 7.2\'s __memblock_reserve'],
    ['memblock_alloc_try_nid: 64 bytes align=0x40 from=0x0 max_addr=0x0 f+0x1/0x2', 'no nid= on memblock_alloc_try_nid'],
    ['memblock_phys_alloc_range: 64 bytes align=0x40 nid=0 from=0x0 max_addr=0x0 f+0x1/0x2', 'nid= on memblock_phys_alloc_range'],
  ])('%s: expect MEMBLOCK_LINE_UNPARSED (%s)', (text) => {
    const log = parseMemblockLog(ts([text]), 't.log');
    expect(log.problems.map((p) => p.code)).toEqual(['MEMBLOCK_LINE_UNPARSED']);
    expect(log.lines).toEqual([]);
  });

  test('otherLines: expect lines of other functions and messages ignored, not reported', () => {
    const log = parseMemblockLog(ts(['memblock: reserved is doubled to 256 at [0x1000-0x2fff]', 'ACPI: RSDP 0x00000000000F59D0 000014 (v00 BOCHS )']), 't.log');
    expect(log).toEqual({ file: 't.log', lines: [], dumps: [], problems: [] });
  });

  test.each([
    ['setup_arch', 'setup_arch'],
    ['vmemmap_alloc_block_zero.constprop.0', 'vmemmap_alloc_block_zero'],
    ['alloc_node_mem_map.isra.0', 'alloc_node_mem_map'],
    ['pcpu_fc_free.part.0', 'pcpu_fc_free'],
  ])('sourceFunction(%s): expect %s', (name, fn) => {
    expect(sourceFunction(name)).toBe(fn);
  });
});
