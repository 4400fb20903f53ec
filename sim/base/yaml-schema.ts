// Reads a YAML file against a valibot schema and says, for the first problem, where it is (file,
// line, column), which field (its path, e.g. `facts.image.symbols._text`), what was expected and
// what was found. Callers wrap the problem in their own coded error.
import * as v from 'valibot';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { SourcePos } from './errors.ts';

/** The first thing wrong with a file: YAML that does not parse, or a value the schema refuses. */
export interface SchemaProblem {
  readonly kind: 'yaml' | 'schema';
  readonly pos: SourcePos;
  /** The field's path as keys and indices, e.g. ['facts', 'structs', 'page', 'bytes']; [] for the document. */
  readonly path: readonly (string | number)[];
  /** `<path>: expected …, got …` (without the position, which the error class prefixes). */
  readonly message: string;
  /** How many problems the schema found in all; only the first is described. */
  readonly count: number;
}

export type SchemaResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: SchemaProblem };

// What a value was, as a message shows it.
function found(input: unknown): string {
  if (input === undefined) return 'nothing';
  const s = JSON.stringify(input);
  return s === undefined ? String(input) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

// A schema or check given its own message ('a sha256 in lower-case hex') says what it expects in
// it; valibot's own messages start "Invalid …", and then `expected` says it ('number').
function expectation(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  return issue.expected ?? issue.message;
}

type Walkable = { readonly type?: string; readonly entries?: Record<string, unknown>; readonly item?: unknown; readonly value?: unknown; readonly wrapped?: unknown; readonly pipe?: readonly unknown[] };

// The object schema the path leads to, to list the keys it allows; undefined when the path leaves the schema.
function objectAt(schema: unknown, path: readonly (string | number)[]): Record<string, unknown> | undefined {
  let s = schema as Walkable | undefined;
  const unwrap = (): void => {
    for (;;) {
      if (s?.pipe && s.pipe[0] !== s) s = s.pipe[0] as Walkable;
      else if (s?.wrapped) s = s.wrapped as Walkable;
      else return;
    }
  };
  for (const key of path) {
    unwrap();
    if (s?.entries) s = s.entries[String(key)] as Walkable | undefined;
    else if (s?.type === 'array') s = s.item as Walkable;
    else if (s?.type === 'record') s = s.value as Walkable;
    else return undefined;
  }
  unwrap();
  return s?.entries;
}

/** Parses `src` and validates it against `schema`; `file` is only for positions. */
export function parseYamlWithSchema<S extends v.GenericSchema>(schema: S, src: string, file: string): SchemaResult<v.InferOutput<S>> {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { ok: false, problem: { kind: 'yaml', pos: { file, ...(e.linePos?.[0] ?? {}) }, path: [], message: `expected valid YAML, got: ${e.message.split('\n')[0]}`, count: doc.errors.length } };
  }
  const result = v.safeParse(schema, doc.toJS());
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const keys = (issue.path ?? []).map((p) => p.key as string | number);
  // The deepest node that exists on the issue's path gives the line and column.
  let pos: SourcePos = { file };
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) { pos = { file, ...lc.linePos(node.range[0]) }; break; }
  }
  const field = keys.length === 0 ? '(file)' : keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  let message: string;
  const parent = issue.type === 'strict_object' || issue.type === 'object' ? objectAt(schema, keys.slice(0, -1)) : undefined;
  if (parent && issue.expected === 'never') {
    // A key the object does not have: junk, or a new field not declared in the schema yet.
    message = `${field}: unknown key; expected one of ${Object.keys(parent).join(', ')}, got ${found(String(keys.at(-1)))}`;
  } else if (parent && issue.input === undefined) {
    // What the field's own schema says it wants, as it would say it of any wrong value.
    const entry = parent[String(keys.at(-1))] as v.GenericSchema | undefined;
    const first = entry ? v.safeParse(entry, undefined).issues?.[0] : undefined;
    message = `${field}: expected ${first ? expectation(first) : 'a value'}, got nothing`;
  } else {
    message = `${field}: expected ${expectation(issue)}, got ${found(issue.input)}`;
  }
  const more = result.issues.length - 1;
  return { ok: false, problem: { kind: 'schema', pos, path: keys, message: more > 0 ? `${message} (and ${more} more problem${more === 1 ? '' : 's'})` : message, count: result.issues.length } };
}
