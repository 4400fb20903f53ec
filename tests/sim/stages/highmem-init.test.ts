import { describe, expect, it } from 'vitest';
import { movableByZoneLayout } from '../../../sim/stages/highmem-init.ts';
import { deriveTraits } from '../../../sim/traits.ts';

const traits = (release: string, numa: boolean) => deriveTraits({ id: 't', arch: 'i386', release, facts: { config: numa ? { NUMA: 'y' } : {} } });
const I386_ZONES = ['DMA', 'Normal', 'HighMem', 'Movable'];

describe('set_highmem_pages_init: which zones count as highmem', () => {
  it('movable_5_10_flat_constant: expect Movable always highmem on a 5.10 i386 build without NUMA (zone_movable_is_highmem constant)', () => {
    // 256M: HighMem empty, yet 5.10 prints "Initializing Movable for node 0 (00000000:00000000)"
    expect(movableByZoneLayout(traits('5.10.0-32-686-pae', false), I386_ZONES)).toBe(true);
  });
  it('movable_6_1_decided_by_movable_zone: expect no constant from 6.1 on (movable_zone decides)', () => {
    expect(movableByZoneLayout(traits('6.1.0-50-686-pae', false), I386_ZONES)).toBeUndefined();
  });
  it('movable_5_10_numa: expect no constant on a NUMA build (NEED_MULTIPLE_NODES)', () => {
    expect(movableByZoneLayout(traits('5.10.0-32-686-pae', true), I386_ZONES)).toBeUndefined();
  });
});
