import { describe, expect, test } from 'vitest';
import { parseProfile } from '../../../harness/profile/load.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { logBufLenUpdate, logBufLenSetup } from '../../../sim/stages/log-buf.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const K = 1024n;
const STATIC = 128n * K; // 1 << CONFIG_LOG_BUF_SHIFT (17) in every pinned build

describe('log_buf_len=', () => {
  test.each([
    // expect: memparse and roundup_pow_of_two: 4M stays, 300K becomes 512K
    ['4M', 'log_buf_len=4M', 4096n * K],
    ['roundup', 'log_buf_len=300K', 512n * K],
    // expect: a size not above the static __log_buf leaves new_log_buf_len 0 (nothing allocated)
    ['small', 'log_buf_len=64K', 0n],
    ['zero', 'log_buf_len=0', 0n],
    // expect: each occurrence updates only when larger than log_buf_len, so a later small one does not undo
    ['later_small', 'log_buf_len=300K log_buf_len=64K', 512n * K],
    ['later_large', 'log_buf_len=300K log_buf_len=1M', 1024n * K],
    // expect: parameq: '-' and '_' alike; nothing after "--" is parsed
    ['dashes', 'log-buf-len=1M', 1024n * K],
    ['after_dashes', '-- log_buf_len=1M', 0n],
  ])('requested_%s', (_n, cl, want) => {
    expect(logBufLenSetup(cl, STATIC)).toBe(want);
  });

  test('requested_noValue_refused: expect SIM_NOT_MODELLED (do_early_param prints "Malformed early option")', () => {
    expect(() => logBufLenSetup('log_buf_len', STATIC)).toThrow(SimError);
    expect(() => logBufLenSetup('log_buf_len', STATIC)).toThrow(/Malformed early option/);
  });

  test('update_over2G_refused: expect SIM_NOT_MODELLED for the "log_buf over 2G" path, 2G itself kept', () => {
    expect(() => logBufLenUpdate(0n, (1n << 31n) + 1n, STATIC)).toThrow(/over 2G/);
    expect(logBufLenUpdate(0n, 1n << 31n, STATIC)).toBe(1n << 31n);
  });
});

const sim = (kernel: string, memory: string, cpus: number, cmdline?: string) => {
  const yaml = `kernel: ${kernel}\nmachine: pc\nmemory: ${memory}\ncpus: ${cpus}\n${cmdline ? `cmdline: "${cmdline}"\n` : ''}`;
  return simulate({ spec: parseProfile(yaml, `t/${kernel.replace(/\./g, '_')}.yaml`), kernel: loadKernelWithFacts(kernel) });
};
const hex = (n: bigint): string => n.toString(16);

describe('setup_log_buf', () => {
  // Each row is a real boot captured with memblock=debug on 2026-12-01 (`npx bootsim capture … --memblock-debug`):
  // the three memblock_reserve ranges that follow setup_log_buf's memblock_alloc_try_nid calls, and
  // the size line it printed. The ranges depend on everything allocated before, so they check the
  // point in setup_arch (or start_kernel) where the allocation is made as well as its sizes.
  test.each([
    ['6.12_4M', '6.12-amd64', '1G', 2, 'log_buf_len=4M', ['3fbe0000-3ffdffff', '3f8e0000-3fbdffff', '3ede0000-3f8dffff'], 'printk: log_buf_len: 4194304 bytes'],
    ['6.1_4M', '6.1-amd64', '1G', 2, 'log_buf_len=4M', ['3fbe0000-3ffdffff', '3f8e0000-3fbdffff', '3ede0000-3f8dffff'], 'printk: log_buf_len: 4194304 bytes'],
    ['5.10_4M', '5.10-amd64', '1G', 2, 'log_buf_len=4M', ['3fbe0000-3ffdffff', '3f8e0000-3fbdffff', '3ede0000-3f8dffff'], 'printk: log_buf_len: 4194304 bytes'],
    // i386: LOG_ALIGN 4, prb_desc 12 bytes, printk_info 88, under max_low_pfn
    ['6.1_686_4M', '6.1-686', '1G', 2, 'log_buf_len=4M', ['367fe000-36bfdfff', '3667e000-367fdfff', '35b7e000-3667dfff'], 'printk: log_buf_len: 4194304 bytes'],
    // the text ring fits in a gap the descriptor array does not
    ['6.1_3g_2M', '6.1-amd64', '3G', 4, 'log_buf_len=2M', ['bfbff000-bfdfefff', 'bfe60000-bffdffff', 'bf67f000-bfbfefff'], 'printk: log_buf_len: 2097152 bytes'],
    // 7.2: printk_info is 112 bytes (PRINTK_EXECUTION_CTX) and the size line is print_log_buf_usage_stats()
    ['7.2_1M', '7.2-amd64', '2G', 2, 'log_buf_len=1M', ['7fee0000-7ffdffff', '7fe20000-7fedffff', '7faa0000-7fe1ffff'], 'printk: log buffer data + meta data: 1048576 + 4456448 = 5505024 bytes'],
    // 20 CPUs: start_kernel's setup_log_buf(0) → log_buf_add_cpu() asks for 128K + 19 × 4K → 256K
    ['6.1_20cpus', '6.1-amd64', '1G', 20, undefined, ['3ff66700-3ffa66ff', '3ff36700-3ff666ff', '3fe86700-3ff366ff'], 'printk: log_buf_len: 262144 bytes'],
    ['6.12_20cpus', '6.12-amd64', '2G', 20, undefined, ['7ff66b40-7ffa6b3f', '7ff36b40-7ff66b3f', '7fe86b40-7ff36b3f'], 'printk: log_buf_len: 262144 bytes'],
  ] as const)('setup_log_buf_%s: expect the capture\'s three allocations and its size line', (_n, kernel, memory, cpus, cmdline, ranges, text) => {
    const r = sim(kernel, memory, cpus, cmdline);
    const got = memblockStateOf(r.state).ledger.filter((e) => e.stage === 'log_buf').map((e) => (e.made ?? e.ranges)[0]!).map((r) => `${hex(r.start)}-${hex(r.end - 1n)}`);
    expect(got).toEqual(ranges);
    expect(r.lines.filter((l) => l.stage === 'log-buf' && /log_buf_len: \d|meta data/.test(l.text)).map((l) => l.text)).toEqual([text]);
  });

  test('setup_log_buf_cpuLines: expect log_buf_add_cpu()\'s three lines before the size line, as the 20-CPU captures print them', () => {
    const texts = sim('6.1-amd64', '1G', 20).lines.filter((l) => l.stage === 'log-buf').map((l) => l.text);
    expect(texts).toEqual([
      'printk: log_buf_len individual max cpu contribution: 4096 bytes',
      'printk: log_buf_len total cpu_extra contributions: 77824 bytes',
      'printk: log_buf_len min size: 131072 bytes',
      'printk: log_buf_len: 262144 bytes',
    ]);
  });

  test.each([
    // expect (captured): log_buf_len=64K is not above the static buffer: no allocation, no line
    ['6.12_small', '6.12-amd64', '1G', 16, 'log_buf_len=64K', []],
    // expect: 16 CPUs give cpu_extra 15 × 4K = 60K ≤ 64K: the static buffer stays
    ['6.1_16cpus', '6.1-686', '1G', 16, undefined, []],
    // expect (every 7.2 golden): setup_log_buf(0) prints the static buffer's stats, 4096 descriptors × (24 + 112)
    ['7.2_static', '7.2-amd64', '512M', 2, undefined, ['printk: log buffer data + meta data: 131072 + 557056 = 688128 bytes']],
  ] as const)('setup_log_buf_kept_%s: expect no allocation and only the lines the kernel prints for the static buffer', (_n, kernel, memory, cpus, cmdline, lines) => {
    const r = sim(kernel, memory, cpus, cmdline);
    expect(memblockStateOf(r.state).ledger.filter((e) => e.stage === 'log_buf')).toEqual([]);
    expect(r.lines.filter((l) => l.stage === 'log-buf').map((l) => l.text)).toEqual(lines);
  });

  test('setup_log_buf_early_movesNodeData: expect NODE_DATA(0) 18M lower with log_buf_len=4M on 6.12 pc 1G (4M + 3M + 11M first)', () => {
    const nodeData = (cl?: string): bigint => {
      const l = sim('6.12-amd64', '1G', 2, cl).lines.find((x) => x.text.startsWith('NODE_DATA(0) allocated'))!;
      return BigInt(/\[mem (0x[0-9a-f]+)-/.exec(l.text)![1]!);
    };
    expect(nodeData() - nodeData('log_buf_len=4M')).toBe(18n << 20n);
  });
});
