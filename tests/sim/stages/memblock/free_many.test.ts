// memblockFreeMany (sim/stages/memblock.ts) is the loop of memblockFree calls it stands for:
// same reserved array, total_size, ledger, array doubling (memblock_double_array's new array and
// its ledger entries) and max, on the pattern pcpu_embed_first_chunk makes and on random ones.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  memblockInit, memblockAdd, memblockAllowResize, memblockReserve, memblockFree, memblockFreeMany, memblockAllocRepeat,
  type MemblockState,
} from '../../../../sim/stages/memblock.ts';

const w = (why: string) => ({ why, source: 'test', stage: 'test' });
const K4 = 0x1000n;
const M = 0x100000n;
const loop = (mb: MemblockState, frees: readonly { base: bigint; size: bigint }[]): MemblockState => frees.reduce((m, f) => memblockFree(m, f.base, f.size), mb);

/** 1G of memory, resizable, a 64M chunk at 512M, two reservations inside it and a repeat entry of four pages. */
function chunkState(): MemblockState {
  let mb = memblockAllowResize(memblockAdd(memblockInit(), 0n, 1024n * M));
  mb = memblockReserve(mb, 512n * M, 64n * M, w('chunk'));
  mb = memblockReserve(mb, 520n * M, M, w('inside'));
  mb = memblockReserve(mb, 575n * M, 2n * M, w('across the top'));
  mb = memblockAllocRepeat(mb, { size: K4, align: K4, ...w('pages') }, 4n).mb;
  return mb;
}

describe('memblockFreeMany', () => {
  // one tail per 256K unit, as pcpu_embed_first_chunk gives them back: 256 holes, so
  // memblock.reserved passes 128 and then 256 entries inside the batch and is doubled twice
  test('unit tails past the doubling points: equal to the loop', () => {
    const mb = chunkState();
    const unit = 256n * 1024n;
    const frees = Array.from({ length: 256 }, (_, i) => ({ base: 512n * M + BigInt(i) * unit + 96n * 1024n, size: unit - 96n * 1024n }));
    const want = loop(mb, frees);
    expect(want.max.reserved).toBe(512); // the case is the one it means to be: two doublings
    const got = memblockFreeMany(mb, frees);
    expect(got).toEqual(want);
    expect(got.ledger.filter((e) => e.why.startsWith('memblock.reserved regions array'))).toHaveLength(2);
  });

  // a free of nothing, of unreserved memory, across two regions and over two ledger entries
  test('edge frees: equal to the loop', () => {
    const mb = chunkState();
    const frees = [
      { base: 530n * M, size: 0n },
      { base: 100n * M, size: M },
      { base: 519n * M, size: 2n * M },
      { base: 574n * M, size: 4n * M },
      { base: 519n * M, size: 3n * M },
    ];
    expect(memblockFreeMany(mb, frees)).toEqual(loop(mb, frees));
  });

  test('random reservations and frees: equal to the loop', () => {
    const page = fc.bigInt({ min: 1n, max: 4095n });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(page, fc.bigInt({ min: 1n, max: 40n })), { minLength: 1, maxLength: 150 }),
        fc.array(fc.tuple(page, fc.bigInt({ min: 0n, max: 60n })), { minLength: 1, maxLength: 150 }),
        (reserves, frees) => {
          let mb = memblockAllowResize(memblockAdd(memblockInit(), 0n, 4096n * K4 * 4n));
          reserves.forEach(([at, n], i) => {
            mb = memblockReserve(mb, at * K4 * 4n, n * K4, w(`r${i}`));
          });
          const fs = frees.map(([at, n]) => ({ base: at * K4 * 4n + K4, size: n * K4 }));
          expect(memblockFreeMany(mb, fs)).toEqual(loop(mb, fs));
        },
      ),
      { numRuns: 200, seed: 10 },
    );
  });
});
