// Development aid: compares the e820-family lines with the raw serial logs in /tmp/raw when present.
import { describe, expect, test } from 'vitest';
import { checkProfile, rawProfiles } from './raw-check.ts';

const names = rawProfiles();

describe.skipIf(names.length === 0)('raw serial logs', () => {
  test.each(names)('%s › e820 family', (name) => {
    const r = checkProfile(name);
    expect(r.error).toBeUndefined();
    expect(r.diffs).toEqual([]);
  });
});
