// Test helper for the envelope properties: a drawn profile is either refused at load time with a coded
// limit, or simulated to its last stage without a SimError ("a profile that loads is simulated").
import { expect } from 'vitest';
import { bootContext, simulate } from '../../sim/boot.ts';
import { envelopeLimit } from '../../sim/envelope.ts';
import { loadKernelWithFacts } from '../../harness/kernels.ts';
import { SimError } from '../../sim/lib/errors.ts';
import type { MachineSpec } from '../../sim/types.ts';

/** Asserts the load-time refusal or the whole simulation; returns which happened. */
export function expectLoadRefusalOrSimulation(s: MachineSpec): 'refused' | 'simulated' {
  const kernel = loadKernelWithFacts(s.kernel);
  const l = envelopeLimit(s, kernel);
  if (l !== undefined) {
    expect(l.code).toMatch(/^SIM_(NOT_MODELLED|QEMU_REFUSES)$/);
    return 'refused';
  }
  let err: unknown;
  try {
    simulate(bootContext({ spec: s, kernel }));
  } catch (e) {
    err = e;
  }
  expect(err instanceof SimError ? `${err.code}: ${err.message}` : err).toBeUndefined();
  return 'simulated';
}
