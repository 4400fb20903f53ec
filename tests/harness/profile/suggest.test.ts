// "Did you mean": distances, and where a suggestion stops being likely.
import { describe, expect, test } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../harness/profile/suggest.ts';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['memory', 'memory', 0],
    ['memroy', 'memory', 1],
    ['q53', 'q35', 1],
    ['memry', 'memory', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('editDistance_%s_%s: expect %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['name', 'kernel', 'machine', 'memory', 'cpus', 'cpu', 'numa', 'cmdline'];
  test.each([
    ['memroy', keys, 'memory'],
    ['Memory', keys, 'memory'],
    ['machnie', keys, 'machine'],
    ['cmdln', keys, 'cmdline'],
    ['kernal', keys, 'kernel'],
    ['colour', keys, undefined],
    ['x', keys, undefined],
    ['q53', ['pc', 'q35'], 'q35'],
    ['pc', ['pc', 'q35'], 'pc'],
    ['6.1-amd46', ['6.1-686', '6.1-686-pae', '6.1-amd64', '6.12-amd64'], '6.1-amd64'],
    ['6.12-amd', ['6.1-amd64', '6.12-amd64'], '6.12-amd64'],
    ['anything', [], undefined],
  ])('closest_%s: expect %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  test('didYouMean_formats: expect a ready-to-append clause, empty when nothing is close', () => {
    expect(didYouMean('memroy', ['memory'])).toBe('; did you mean "memory"?');
    expect(didYouMean('zzz', ['memory'])).toBe('');
  });
});
