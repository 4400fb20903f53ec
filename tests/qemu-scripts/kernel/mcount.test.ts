import { describe, expect, it } from 'vitest';
import { findMcountRun } from '../../../qemu-scripts/kernel/mcount.ts';

const TEXT = 0xffffffff81000000n;
const END = 0xffffffff84000000n;

// .init.data as words:
//   [filler …] [zeroed sites × z] [n ascending text addresses] [filler …]
// filler holds a short ascending run of text pointers (an ops table), which must not win.
function initData(z: number, n: number, opts: { word?: 4 | 8; dip?: number } = {}): Uint8Array {
  const word = opts.word ?? 8;
  const words: bigint[] = [0x1600n, TEXT + 0x10n, TEXT + 0x20n, TEXT + 0x30n, 0x5a5an];
  for (let i = 0; i < z; i++) words.push(0n);
  for (let i = 0; i < n; i++) words.push(TEXT + 0x1000n + BigInt(i) * 0x40n - (opts.dip === i ? 0x80n : 0n));
  words.push(0xdeadn, TEXT + 0x5n);
  const buf = new Uint8Array(words.length * word);
  const dv = new DataView(buf.buffer);
  words.forEach((w, i) => (word === 8 ? dv.setBigUint64(i * word, BigInt.asUintN(64, w), true) : dv.setUint32(i * word, Number(BigInt.asUintN(32, w)), true)));
  return buf;
}

describe('findMcountRun', () => {
  it('mcount_sorted_table: expect the zeroed sites and the ascending run counted together', () => {
    expect(findMcountRun(initData(7, 2000), 8, TEXT, END)).toEqual({ entries: 2007, zeroed: 7 });
  });

  it('mcount_no_zeroed: expect zeroed 0 when a non-zero word precedes the run', () => {
    expect(findMcountRun(initData(0, 1500), 8, TEXT, END)).toEqual({ entries: 1500, zeroed: 0 });
  });

  it('mcount_unsorted_break: expect a descending word to end the run (an unsorted table is not taken whole)', () => {
    // a dip at entry 1200 splits 2000 into 1200 and 800: the 1200-long part wins, without the zeros
    expect(findMcountRun(initData(3, 2000, { dip: 1200 }), 8, TEXT, END)).toEqual({ entries: 1203, zeroed: 3 });
  });

  it('mcount_absent: expect undefined below 1000 ascending text words (no dynamic ftrace)', () => {
    expect(findMcountRun(initData(0, 999), 8, TEXT, END)).toBeUndefined();
  });

  it('mcount_i386_words: expect 4-byte words on a 32-bit image', () => {
    expect(findMcountRun(initData(2, 1200, { word: 4 }), 4, 0xc1000000n, 0xc4000000n)).toBeUndefined();
    const lo = TEXT & 0xffffffffn;
    expect(findMcountRun(initData(2, 1200, { word: 4 }), 4, lo, END & 0xffffffffn)).toEqual({ entries: 1202, zeroed: 2 });
  });

  it('mcount_mostly_zero: expect LAYOUT_UNEXPECTED when more zeros than live entries precede the run', () => {
    expect(() => findMcountRun(initData(1500, 1000), 8, TEXT, END)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });
});
