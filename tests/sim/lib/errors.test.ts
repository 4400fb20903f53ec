// Tests for sim/lib/errors.ts, the simulator's coded error (shared/STYLE.md §5): a BootsimError with a
// code from the closed union, the unit that raised it, and a message that starts where it happened.
import { describe, expect, test } from 'vitest';
import { BootsimError } from '../../../sim/base/errors.ts';
import { SimError } from '../../../sim/lib/errors.ts';

describe('SimError', () => {
  // expect the code, the unit and the message prefixed by the unit, and a BootsimError every verb reports as exit 2
  test('sim_error_code_where_message: expect "e820: …" with code and where kept', () => {
    const e = new SimError('SIM_NOT_MODELLED', 'e820', 'memmap=1G!4G: expected a modelled form, got "!"');
    expect([e.code, e.where, e.name, e.message]).toEqual(['SIM_NOT_MODELLED', 'e820', 'SimError', 'e820: memmap=1G!4G: expected a modelled form, got "!"']);
    expect(e).toBeInstanceOf(BootsimError);
    expect(e.pos).toBeUndefined();
  });

  // expect a profile position to lead the message (file:line:col) and the cause to be kept
  test('sim_error_pos_and_cause: expect "p.yaml:4:9: envelope: …" and the cause', () => {
    const cause = new RangeError('x');
    const e = new SimError('SIM_QEMU_REFUSES', 'envelope', 'cpus: expected at most 255, got 300', { pos: { file: 'p.yaml', line: 4, col: 9 }, cause });
    expect(e.message).toBe('p.yaml:4:9: envelope: cpus: expected at most 255, got 300');
    expect(e.pos).toEqual({ file: 'p.yaml', line: 4, col: 9 });
    expect(e.cause).toBe(cause);
  });
});
