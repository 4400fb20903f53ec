// harness/cli/stop.ts: the first stop signal aborts the run once, says so once, and is the exit status.
import { describe, expect, test } from 'vitest';
import { STOP_SIGNALS, stopOnSignals } from '../../../harness/cli/stop.ts';

describe('stopOnSignals', () => {
  test('stop_first_signal_wins: expect SIGTERM then SIGINT to abort once, one line, stoppedBy SIGTERM (exit 143)', () => {
    const said: string[] = [];
    const s = stopOnSignals((l) => said.push(l), 'the goldens stay');
    try {
      process.emit('SIGTERM');
      process.emit('SIGINT');
      expect(s.signal.aborted).toBe(true);
      expect(s.stoppedBy()).toBe('SIGTERM');
      expect(STOP_SIGNALS[s.stoppedBy()!]).toBe(143);
      expect(said).toEqual(['stopped by SIGTERM: stopping QEMU; the goldens stay']);
    } finally {
      s.dispose();
    }
  });

  test('stop_dispose: expect no handler left after dispose', () => {
    const before = process.listenerCount('SIGHUP');
    const s = stopOnSignals(() => {}, 'x');
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    s.dispose();
    expect(process.listenerCount('SIGHUP')).toBe(before);
    expect(s.stoppedBy()).toBeUndefined();
  });
});
