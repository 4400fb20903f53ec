// Tests for harness/cli/pool.ts runPool: async work over items with at most `jobs` in flight, each item
// once, started in item order.
import { describe, expect, test } from 'vitest';
import { runPool } from '../../../harness/cli/pool.ts';

describe('runPool', () => {
  // expect every item once, started in order, never more than `jobs` running at a time
  test('pool_bounded_in_order: expect 10 items, started 0…9, at most 3 at once', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await runPool([...Array(10).keys()], 3, async (item, index) => {
      expect(item).toBe(index);
      started.push(item);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, (item % 3) + 1));
      running--;
    });
    expect(started).toEqual([...Array(10).keys()]);
    expect(most).toBe(3);
  });

  // expect no work for no items, and one worker per item when jobs exceed them
  test('pool_edges: expect nothing for [], both at once for 2 items with 8 jobs', async () => {
    let calls = 0;
    await runPool([], 4, async () => { calls++; });
    expect(calls).toBe(0);
    let running = 0;
    let most = 0;
    await runPool(['a', 'b'], 8, async () => { running++; most = Math.max(most, running); await new Promise((r) => setTimeout(r, 5)); running--; });
    expect(most).toBe(2);
  });

  // expect a failing item to reject the pool
  test('pool_rejects: expect the error of a failing item', async () => {
    await expect(runPool([1, 2], 2, async (i) => { if (i === 2) throw new Error('item 2'); })).rejects.toThrow('item 2');
  });
});
