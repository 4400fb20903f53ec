// The ledger comparison on small hand-built ledgers and logs: each rule of harness/compare/ledger.ts
// (not printed, repeats, callers, the register) and each kind of first difference.
import { describe, expect, test } from 'vitest';
import { callerPath, compareLedger, describeDifference, describeDump, describeFrees, expandLedger, type LedgerInput } from '../../../harness/compare/ledger.ts';
import { memblockOperations, parseMemblockLog, type MemblockOperation } from '../../../harness/memblock-log.ts';
import { DivergenceError, parseRegister, type LedgerDivergence } from '../../../harness/divergences.ts';
import { familyIds } from '../../../harness/compare/catalog-port.ts';
import { memblockAdd, memblockAlloc, memblockAllocRepeat, memblockFree, memblockInit, memblockReserve, type LedgerEntry } from '../../../sim/stages/memblock.ts';

const K4 = 0x1000n;
const M = 0x100000n;
const w = (why: string, caller: string, notPrinted?: string) => ({ why, source: 'test', stage: 'test', caller, ...(notPrinted ? { notPrinted } : {}) });
const ops = (lines: string[]): MemblockOperation[] =>
  memblockOperations(parseMemblockLog(lines.map((l, i) => `[    0.${String(i).padStart(6, '0')}] ${l}`).join('\n') + '\n', 't.log')).ops;
const hex = (n: bigint): string => `0x${n.toString(16).padStart(16, '0')}`;
const reserve = (start: bigint, size: bigint, caller: string): string => `memblock_reserve: [${hex(start)}-${hex(start + size - 1n)}] ${caller}+0x10/0x80`;
const alloc = (start: bigint, size: bigint, caller: string): string[] => [
  `memblock_alloc_try_nid: ${size} bytes align=0x1000 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 ${caller}+0x10/0x80`,
  reserve(start, size, 'memblock_alloc_range_nid'),
];
const input = (ledger: readonly LedgerEntry[], log: MemblockOperation[], register: LedgerDivergence[] = []): LedgerInput => ({ profile: 'p', kernel: 'k', ops: log, ledger, register });

//  memory [16M ──────────────────── 32M)
//  reserve 0 (not printed), then a page at 31M by f, then 3 pages top-down by g: 32M−4K, −8K, −12K
function ledger(): LedgerEntry[] {
  let mb = memblockAdd(memblockInit(), 16n * M, 16n * M);
  mb = memblockReserve(mb, 16n * M, K4, w('early', 'setup_arch', 'before parse_early_param'));
  mb = memblockReserve(mb, 31n * M, K4, w('one', 'setup_arch > f'));
  mb = memblockAllocRepeat(mb, { size: K4, align: K4, ...w('three', 'g') }, 3n).mb;
  return [...mb.ledger];
}
const log = (): MemblockOperation[] => ops([reserve(31n * M, K4, 'setup_arch'), ...alloc(32n * M - K4, K4, 'g'), ...alloc(32n * M - 2n * K4, K4, 'g'), ...alloc(32n * M - 3n * K4, K4, 'g')]);

describe('expandLedger', () => {
  test('repeat_topDown: expect N allocations of total/N bytes, highest address first', () => {
    const { items, problems } = expandLedger(ledger());
    expect(problems).toEqual([]);
    expect(items.map((i) => [i.start, i.size, i.why, i.notPrinted])).toEqual([
      [16n * M, K4, 'early', 'before parse_early_param'],
      [31n * M, K4, 'one', undefined],
      [32n * M - K4, K4, 'three ×3', undefined],
      [32n * M - 2n * K4, K4, 'three ×3', undefined],
      [32n * M - 3n * K4, K4, 'three ×3', undefined],
    ]);
  });

  test('freed_entry: expect the address it was made at, not what is left', () => {
    let mb = memblockAdd(memblockInit(), 16n * M, 16n * M);
    const a = memblockAlloc(mb, { size: 2n * K4, align: K4, ...w('tmp', 'h') });
    mb = memblockFree(a.mb, a.addr, 2n * K4);
    expect(mb.ledger[0]!.ranges).toEqual([]);
    expect(expandLedger(mb.ledger).items.map((i) => [i.start, i.size])).toEqual([[32n * M - 2n * K4, 2n * K4]]);
  });

  test('repeat_uneven: expect LEDGER_REPEAT_UNEVEN', () => {
    const e: LedgerEntry = { why: 'x', source: 's', stage: 't', ranges: [{ start: 0n, end: 5n }], made: [{ start: 0n, end: 5n }], count: 2n };
    expect(expandLedger([e]).problems.map((p) => p.code)).toEqual(['LEDGER_REPEAT_UNEVEN']);
  });

  test.each([
    ['setup_arch > reserve_brk', ['setup_arch', 'reserve_brk']],
    ['alloc_large_system_hash', ['alloc_large_system_hash']],
    [undefined, []],
  ])('callerPath(%s): expect %j', (c, path) => {
    expect(callerPath(c)).toEqual(path);
  });
});

describe('compareLedger', () => {
  test('same: expect every operation compared, the unprinted entry counted apart', () => {
    const c = compareLedger(input(ledger(), log()));
    expect(c.first).toBeUndefined();
    expect([c.compared, c.callerHidden, c.logCount, c.simCount, c.notPrinted.length]).toEqual([4, 0, 4, 4, 1]);
    expect(describeDifference(c, 't.log')).toBe('all 4 reservations and allocations agree (0 with the caller hidden by a wrapper)');
  });

  test('address: expect the first difference with both sides', () => {
    const l = log();
    l[2] = { ...l[2]!, start: l[2]!.start! - K4 };
    const c = compareLedger(input(ledger(), l));
    expect(c.first).toMatchObject({ index: 2, what: 'address' });
    expect(c.compared).toBe(2);
    expect(describeDifference(c, 't.log')).toBe([
      'first difference at operation 3 (after 2 equal): the address differs',
      '  golden: t.log:4: memblock_alloc_try_nid 0x1ffd000 +4096 (4096 bytes) by g',
      '  sim:    0x1ffe000 +4096 (4096 bytes) by g: "three ×3" [stage test; test]',
    ].join('\n'));
  });

  test('size: expect what "size"', () => {
    const l = log();
    l[0] = { ...l[0]!, size: 2n * K4 };
    expect(compareLedger(input(ledger(), l)).first?.what).toBe('size');
  });

  test('caller_inlined: expect a printed caller anywhere on the call path to match, any other not', () => {
    expect(compareLedger(input(ledger(), ops([reserve(31n * M, K4, 'f')]))).compared).toBe(1);
    expect(compareLedger(input(ledger(), ops([reserve(31n * M, K4, 'setup_arch')]))).compared).toBe(1);
    expect(compareLedger(input(ledger(), ops([reserve(31n * M, K4, 'start_kernel')]))).first?.what).toBe('caller');
  });

  test('caller_cloneAndWrapper: expect .constprop clones matched by source function, wrappers counted as hidden', () => {
    const l = ops([reserve(31n * M, K4, 'f.constprop.0'), ...alloc(32n * M - K4, K4, '__memblock_alloc_or_panic'), ...alloc(32n * M - 2n * K4, K4, 'memblock_alloc.constprop.0')]);
    const c = compareLedger(input(ledger(), l));
    expect([c.compared, c.callerHidden]).toEqual([3, 2]);
  });

  test('no_sim_caller: expect "no-sim-caller" where the printed caller cannot be checked against nothing', () => {
    const e = ledger().map((x) => ({ ...x, caller: undefined }));
    expect(compareLedger(input(e, log())).first?.what).toBe('no-sim-caller');
  });

  test.each([
    ['sim-missing', (l: MemblockOperation[]) => [...l, ...ops(alloc(16n * M + K4, K4, 'late'))]],
    ['log-missing', (l: MemblockOperation[]) => l.slice(0, 3)],
  ] as const)('%s: expect the extra operation reported', (what, f) => {
    const c = compareLedger(input(ledger(), f(log())));
    expect(c.first?.what).toBe(what);
    expect(c.compared).toBe(what === 'sim-missing' ? 4 : 3);
  });

  test('register: expect the operations of a registered caller set apart, and an entry for nothing reported unused', () => {
    const reg = parseRegister([
      '- kernel: "k"', '  ledger: acpi_reserve_initial_tables', '  reason: firmware tables',
      '- profile: "p*"', '  ledger: never_printed', '  reason: stale',
      '- kernel: "other"', '  ledger: g', '  reason: another kernel',
    ].join('\n'), 'd.yaml', familyIds).ledger;
    const l = [...ops([reserve(0x1ffe0000n, 64n, 'acpi_reserve_initial_tables')]), ...log()];
    const c = compareLedger(input(ledger(), l, reg));
    expect(c.first).toBeUndefined();
    expect(c.known.map((k) => [k.op.caller?.fn, k.entry.reason])).toEqual([['acpi_reserve_initial_tables', 'firmware tables']]);
    expect(c.unusedEntries.map((d) => d.ledger)).toEqual(['never_printed']);
    // without the register the ACPI reservation is the first difference
    expect(compareLedger(input(ledger(), l)).first).toMatchObject({ index: 0, what: 'address' });
  });
});

describe('compareLedger: the first MEMBLOCK configuration (rule 5)', () => {
  // the dump comes after the reserve at 31M: it shows the unprinted 16M page and that one
  const dumpLines = (reserved: string[]): string[] => [
    'MEMBLOCK configuration:', ' memory size = 0x0000000001000000 reserved size = 0x0000000000002000', ' memory.cnt  = 0x1',
    ' memory[0x0]\t[0x0000000001000000-0x0000000001ffffff], 0x0000000001000000 bytes flags: 0x0', ` reserved.cnt  = 0x${reserved.length.toString(16)}`,
    ...reserved.map((r, i) => ` reserved[0x${i.toString(16)}]\t${r}, 0x0000000000001000 bytes flags: 0x0`),
  ];
  const run = (reserved: string[]) => {
    const raw = [reserve(31n * M, K4, 'setup_arch'), ...dumpLines(reserved), ...alloc(32n * M - K4, K4, 'g'), ...alloc(32n * M - 2n * K4, K4, 'g'), ...alloc(32n * M - 3n * K4, K4, 'g')]
      .map((l, i) => `[    0.${String(i).padStart(6, '0')}] ${l}`).join('\n') + '\n';
    const log = parseMemblockLog(raw, 't.log');
    return compareLedger({ ...input(ledger(), memblockOperations(log).ops), dumps: log.dumps, memory: [{ start: 16n * M, end: 32n * M }] });
  };

  test('same: expect the unprinted entry and the ones matched before the dump, and nothing after it', () => {
    const c = run(['[0x0000000001000000-0x0000000001000fff]', '[0x0000000001f00000-0x0000000001f00fff]']);
    expect(c.first).toBeUndefined();
    expect(c.dump?.same).toBe(true);
    expect(describeDump(c.dump!, 't.log')).toBe('t.log:2: the first MEMBLOCK configuration agrees (memory 1, reserved 2 covered ranges)');
  });

  test('differs: expect both sides of the ranges that differ', () => {
    const c = run(['[0x0000000001000000-0x0000000001001fff]', '[0x0000000001f00000-0x0000000001f00fff]']);
    expect(c.dump?.same).toBe(false);
    expect(describeDump(c.dump!, 't.log')).toBe([
      't.log:2: the first MEMBLOCK configuration differs from the simulated ledger',
      '  reserved golden: [0x1000000-0x1001fff] [0x1f00000-0x1f00fff]',
      '  reserved sim:    [0x1000000-0x1000fff] [0x1f00000-0x1f00fff]',
    ].join('\n'));
  });
});

describe('compareLedger: frees (rule 6)', () => {
  //  memory [16M ── 32M): one 8K allocation at 32M−8K, its upper 4K given back
  const freed = (): LedgerEntry[] => {
    const mb = memblockAdd(memblockInit(), 16n * M, 16n * M);
    const a = memblockAlloc(mb, { size: 2n * K4, align: K4, ...w('two pages', 'h') });
    return [...memblockFree(a.mb, a.addr + K4, K4).ledger];
  };
  const l = ops(alloc(32n * M - 2n * K4, 2n * K4, 'h'));

  test('same: expect the part given back on both sides', () => {
    const c = compareLedger({ ...input(freed(), l), frees: [{ start: 32n * M - K4, end: 32n * M }] });
    expect(c.first).toBeUndefined();
    expect(c.frees).toEqual({ golden: [{ start: 32n * M - K4, end: 32n * M }], sim: [{ start: 32n * M - K4, end: 32n * M }], same: true });
  });

  test('differs: expect both sides', () => {
    const c = compareLedger({ ...input(freed(), l), frees: [{ start: 32n * M - 2n * K4, end: 32n * M }] });
    expect(c.frees?.same).toBe(false);
    expect(describeFrees(c.frees!)).toBe('freed ranges differ\n  golden: [0x1ffe000-0x1ffffff]\n  sim:    [0x1fff000-0x1ffffff]');
  });

  test('not given: expect rule 6 not checked', () => {
    expect(compareLedger(input(freed(), l)).frees).toBeUndefined();
  });
});

describe('parseRegister ledger entries', () => {
  test('mixed: expect family entries as lines and ledger entries apart, with positions', () => {
    const r = parseRegister('- kernel: "6.1-*"\n  family: mem.summary\n  reason: r\n- kernel: "*"\n  ledger: smp_scan_config\n  reason: MP table\n', 'd.yaml', familyIds);
    expect(r.lines.map((d) => d.family)).toEqual(['mem.summary']);
    expect(r.ledger).toEqual([{ kernel: '*', ledger: 'smp_scan_config', reason: 'MP table', pos: { file: 'd.yaml', line: 4, col: 3 } }]);
  });

  test.each([
    ['- kernel: "*"\n  ledger: f\n  key: x\n  reason: r\n', /key: expected one of profile, kernel, ledger, reason, got an unknown field \(a ledger entry\)/],
    ['- kernel: "*"\n  ledger: "not a name"\n  reason: r\n', /ledger: expected a kernel function name, got "not a name"/],
    ['- kernel: "*"\n  ledger: f\n', /reason: expected a non-empty string, got nothing/],
    ['- ledger: f\n  reason: r\n', /expected a profile or a kernel pattern, got neither/],
  ])('invalid %#: expect DIVERGENCE_ENTRY_INVALID with where and what', (src, msg) => {
    let err: unknown;
    try { parseRegister(src, 'd.yaml', familyIds); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).code).toBe('DIVERGENCE_ENTRY_INVALID');
    expect((err as DivergenceError).message).toMatch(msg);
  });
});
