// parseYamlWithSchema: the first problem of a YAML file against a valibot schema, with its
// position, field path, expectation and finding.
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { parseYamlWithSchema } from '../../../sim/base/yaml-schema.ts';

const Schema = v.strictObject({
  n: v.pipe(v.number('a whole number'), v.integer('a whole number')),
  inner: v.pipe(v.strictObject({ mode: v.picklist(['a', 'b'], 'a or b'), note: v.optional(v.string()) }), v.readonly()),
  list: v.array(v.strictObject({ name: v.string() })),
});
const good = 'n: 1\ninner: { mode: a }\nlist: [{ name: x }]\n';

describe('parseYamlWithSchema', () => {
  test('parse_valid: expect the typed value', () => {
    expect(parseYamlWithSchema(Schema, good, 'f.yaml')).toEqual({ ok: true, value: { n: 1, inner: { mode: 'a' }, list: [{ name: 'x' }] } });
  });

  test.each([
    ['wrong_value', 'n: 1.5\ninner: { mode: a }\nlist: []\n', ['n'], { line: 1, col: 4 }, 'n: expected a whole number, got 1.5'],
    ['custom_enum', 'n: 1\ninner: { mode: c }\nlist: []\n', ['inner', 'mode'], { line: 2, col: 16 }, 'inner.mode: expected a or b, got "c"'],
    ['unknown_key', 'n: 1\ninner: { mode: a, colour: red }\nlist: []\n', ['inner', 'colour'], { line: 2, col: 27 }, 'inner.colour: unknown key; expected one of mode, note, got "colour"'],
    ['missing_key', 'n: 1\nlist: []\n', ['inner'], { line: 1, col: 1 }, 'inner: expected Object, got nothing'],
    ['array_index', 'n: 1\ninner: { mode: a }\nlist:\n  - { name: 3 }\n', ['list', 0, 'name'], { line: 4, col: 13 }, 'list[0].name: expected string, got 3'],
  ])('parse_%s: expect the path, the position and the message', (_name, src, path, pos, message) => {
    const r = parseYamlWithSchema(Schema, src, 'f.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toMatchObject({ kind: 'schema', path, pos: { file: 'f.yaml', ...pos } });
    expect(r.problem.message).toBe(message);
  });

  test('parse_counts_more: expect the first problem described and the others counted', () => {
    const r = parseYamlWithSchema(Schema, 'n: x\ninner: { mode: z }\nlist: []\n', 'f.yaml');
    expect(!r.ok && r.problem.message).toBe('n: expected a whole number, got "x" (and 1 more problem)');
  });

  test('parse_bad_yaml: expect kind yaml with the parser position', () => {
    const r = parseYamlWithSchema(Schema, 'n: [1,\n', 'f.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ kind: 'yaml', path: [], pos: { file: 'f.yaml', line: expect.any(Number) } });
  });
});
