// Named slices of BootState (shared/STYLE.md §2): each stage module exports an accessor for its
// own slice; this is the one way such an accessor reads it.
import type { BootState } from '../boot.ts';
import { SimError } from './errors.ts';

/** The slice `key` of the state, or a SIM_NOT_MODELLED naming the stage that should have made it. */
export function requireSlice<T>(state: BootState, key: string, stage: string, madeBy: string): T {
  const s = state[key] as T | undefined;
  if (!s) throw new SimError('SIM_NOT_MODELLED', stage, `state.${key}: expected ${madeBy} to have run first`);
  return s;
}
